// The workbench's parts one at a time, each against fakes of the narrow interfaces it is given
// (src/ide/workbench/contracts.ts): what the old single closure did, now checked part by part.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic, DocumentClosed, EditorArea } from '../src/ide/editor-area';
import { createChecksPart } from '../src/ide/workbench/checks-part';
import type { ActiveFile, CheckedFiles } from '../src/ide/workbench/contracts';
import { createEditorPart } from '../src/ide/workbench/editor-part';
import { Emitter } from '../src/ide/workbench/emitter';
import { listenForShortcuts } from '../src/ide/workbench/keyboard';
import { createRunPart } from '../src/ide/workbench/run-part';
import { createSharePart } from '../src/ide/workbench/share-part';
import { createTurns } from '../src/ide/workbench/turns';
import { flush } from './helpers';

afterEach(() => {
  document.body.replaceChildren();
  window.history.replaceState(null, '', '/');
});

function fakeArea(failing = new Set<string>()) {
  const calls: string[] = [];
  const text = new Emitter<[string, boolean]>();
  const closed = new Emitter<[DocumentClosed]>();
  const serving = new Emitter<[string, boolean]>();
  const area: EditorArea = {
    async open(path) {
      if (failing.has(path)) throw new Error('refused');
      calls.push(`open ${path}`);
    },
    close: (path) => void calls.push(`close ${path}`),
    activePath: () => null,
    getText: () => undefined,
    setDiagnostics: (path, ds) => void calls.push(`markers ${path} ${ds.length}`),
    flushToFiles: async () => void calls.push('flush'),
    onDidChangeText: (l) => text.on(l),
    onDidCloseDocument: (l) => closed.on(l),
    onRunRequested: () => () => undefined,
    hasLanguageServer: () => false,
    onDidChangeLanguageServer: (l) => serving.on(l),
    connectionState: () => 'online',
    dispose: () => void calls.push('dispose'),
  };
  return { area, calls, text, closed, serving };
}

function editorPart() {
  const notes: string[] = [];
  const part = createEditorPart({ notify: (m) => notes.push(m), signal: new AbortController().signal });
  document.body.appendChild(part.el);
  const events: string[] = [];
  part.onShow((p) => events.push(`show ${p}`));
  part.onShown((p) => events.push(`shown ${p}`));
  part.onReleased((p) => events.push(`released ${p}`));
  part.onActiveChanged((p) => events.push(`active ${p}`));
  return { part, notes, events };
}

const tabPaths = () => [...document.querySelectorAll<HTMLElement>('[data-testid="tab"]')].map((t) => t.dataset.path);

describe('editor part', () => {
  it('shows tabs before the editing core is there and opens the active one when it attaches', async () => {
    const { part, events } = editorPart();
    await part.open('a.py');
    await part.open('b.py');
    expect(tabPaths()).toEqual(['a.py', 'b.py']);
    expect(events).toEqual(['active a.py', 'show a.py', 'active b.py', 'show b.py']);
    expect(new URLSearchParams(location.search).get('file')).toBe('b.py');
    const { area, calls } = fakeArea();
    await part.attach(area);
    expect(calls).toEqual(['open b.py']);
    expect(events.at(-1)).toBe('shown b.py');
  });

  it('closes the tab of a file the core refuses, says why, and releases it', async () => {
    const { part, notes, events } = editorPart();
    const { area } = fakeArea(new Set(['gone.py']));
    await part.attach(area);
    await part.open('gone.py');
    expect(tabPaths()).toEqual([]);
    expect(notes).toEqual(['Could not open gone.py: refused']);
    expect(events).toContain('released gone.py');
    expect(events).not.toContain('shown gone.py');
    expect((document.querySelector('[data-testid="editor-empty"]') as HTMLElement).hidden).toBe(false);
  });

  it('follows a move: the old document is released and the renamed file shown', async () => {
    const { part, events } = editorPart();
    const { area, calls } = fakeArea();
    await part.attach(area);
    await part.open('src/a.py');
    events.length = 0;
    part.followMove('src', 'lib');
    await flush();
    expect(tabPaths()).toEqual(['lib/a.py']);
    expect(calls).toContain('close src/a.py');
    expect(events.filter((e) => !e.startsWith('active'))).toEqual(['released src/a.py', 'show lib/a.py', 'shown lib/a.py']);
  });

  it('passes the core\'s text changes and closed documents on, and its markers in', async () => {
    const { part } = editorPart();
    const { area, calls, text, closed } = fakeArea();
    const seen: string[] = [];
    part.onTextChanged((p, local) => seen.push(`text ${p} ${local}`));
    part.onDocumentClosed((c) => seen.push(`closed ${c.path} ${c.reason}`));
    await part.attach(area);
    text.fire('a.py', true);
    closed.fire({ path: 'a.py', reason: 'deleted' });
    part.setDiagnostics('a.py', [{} as Diagnostic]);
    expect(seen).toEqual(['text a.py true', 'closed a.py deleted']);
    expect(calls).toContain('markers a.py 1');
    part.dispose();
    text.fire('a.py', true);
    expect(seen).toHaveLength(2);
  });
});

function fakeCheckedFiles() {
  const shown = new Emitter<[string]>();
  const released = new Emitter<[string]>();
  const text = new Emitter<[string, boolean]>();
  const languageServer = new Emitter<[string, boolean]>();
  const served = new Set<string>();
  const markers: string[] = [];
  const files: CheckedFiles = {
    onShown: (l) => shown.on(l),
    onReleased: (l) => released.on(l),
    onTextChanged: (l) => text.on(l),
    setDiagnostics: (path, ds) => void markers.push(`${path} ${ds.length}`),
    hasLanguageServer: (path) => served.has(path),
    onLanguageServerChanged: (l) => languageServer.on(l),
  };
  /** A language server starts or stops serving `path`. */
  const serve = (path: string, serving: boolean) => {
    if (serving) served.add(path);
    else served.delete(path);
    languageServer.fire(path, serving);
  };
  return { files, shown, released, text, markers, serve };
}

describe('checks part', () => {
  const diagnostic: Diagnostic = { line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', message: 'x' };

  it('checks a file when it is shown, after the flush, and only files the platform can check', async () => {
    const { files, shown, markers } = fakeCheckedFiles();
    const order: string[] = [];
    const part = createChecksPart({
      files,
      check: async (path) => (order.push(`check ${path}`), [diagnostic]),
      flush: async () => void order.push('flush'),
      isCheckable: (path) => path.endsWith('.py'),
    });
    shown.fire('a.py');
    shown.fire('notes.txt');
    await vi.waitFor(() => expect(markers).toEqual(['a.py 1']));
    expect(order).toEqual(['flush', 'check a.py']);
    part.dispose();
  });

  it('drops the answer for a file released while its check was running', async () => {
    const { files, shown, released, markers } = fakeCheckedFiles();
    let answer!: (ds: Diagnostic[]) => void;
    const asked = vi.fn();
    createChecksPart({
      files,
      check: (_path, signal) => new Promise((resolve) => {
        asked(signal);
        answer = resolve;
      }),
      flush: async () => undefined,
      isCheckable: () => true,
    });
    shown.fire('a.py');
    await vi.waitFor(() => expect(asked).toHaveBeenCalled());
    released.fire('a.py');
    expect((asked.mock.calls[0]![0] as AbortSignal).aborted).toBe(true);
    answer([diagnostic]);
    await flush();
    expect(markers).toEqual([]);
  });

  it('does not check a file a language server serves, and checks the shown one again when the server goes', async () => {
    vi.useFakeTimers();
    try {
      const { files, shown, text, markers, serve } = fakeCheckedFiles();
      const checked: string[] = [];
      const part = createChecksPart({
        files,
        check: async (path) => (checked.push(path), [diagnostic]),
        flush: async () => undefined,
        isCheckable: () => true,
      });
      serve('a.py', true);
      shown.fire('a.py');
      text.fire('a.py', true);
      await vi.advanceTimersByTimeAsync(2000);
      expect(checked).toEqual([]); // the server's diagnostics are the file's

      serve('a.py', false);
      await vi.advanceTimersByTimeAsync(0);
      expect(checked).toEqual(['a.py']);
      expect(markers).toEqual(['a.py 1']);

      // Typing checks again while no server serves it; a server coming back drops what is under way.
      text.fire('a.py', true);
      serve('a.py', true);
      await vi.advanceTimersByTimeAsync(2000);
      expect(checked).toEqual(['a.py']);
      part.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('run part', () => {
  function activeFile(initial: string | null) {
    const changed = new Emitter<[string | null]>();
    const file = {
      active: initial,
      onActiveChanged: (l: (a: string | null) => void) => changed.on(l),
    } satisfies ActiveFile;
    return { file, changed };
  }

  function fakePanelModule(log: string[]) {
    return async () => ({
      createOutputPanel: () => ({
        el: document.createElement('div'),
        begin: () => undefined, write: () => undefined,
        note: (t: string) => void log.push(`note ${t}`),
        setStatus: () => undefined, setLive: () => undefined, fit: () => undefined, dispose: () => undefined,
      }),
    }) as unknown as typeof import('../src/ide/run/output-panel');
  }

  it('enables the Run button only while a file is shown', () => {
    const { file, changed } = activeFile(null);
    const part = createRunPart({
      file, flush: async () => undefined, socketUrl: async () => 'ws://x', notify: () => undefined, signal: new AbortController().signal,
      loadPanel: fakePanelModule([]),
    });
    expect(part.button.disabled).toBe(true);
    changed.fire('a.py');
    expect(part.button.disabled).toBe(false);
    changed.fire(null);
    expect(part.button.disabled).toBe(true);
    part.dispose();
    changed.fire('a.py');
    expect(part.button.disabled).toBe(true);
  });

  it('asks for a file when none is shown, and takes a double Ctrl+Enter as one run', async () => {
    const log: string[] = [];
    const { file } = activeFile(null);
    const flushes = vi.fn(async () => undefined);
    const part = createRunPart({
      file, flush: flushes, socketUrl: () => new Promise(() => undefined), notify: () => undefined,
      signal: new AbortController().signal, loadPanel: fakePanelModule(log),
    });
    part.runActive();
    await vi.waitFor(() => expect(log).toEqual(['note Open a file to run it.']));
    file.active = 'a.py';
    part.runActive();
    part.runActive();
    await vi.waitFor(() => expect(flushes).toHaveBeenCalledTimes(1));
    await flush();
    expect(flushes).toHaveBeenCalledTimes(1);
    part.dispose();
  });

  it('runs again at once when the run it started has ended, however soon', async () => {
    const log: string[] = [];
    const { file } = activeFile('a.py');
    const flushes = vi.fn(async () => undefined);
    const part = createRunPart({
      file, flush: flushes, socketUrl: () => Promise.reject(new Error('offline')), notify: () => undefined,
      signal: new AbortController().signal, loadPanel: fakePanelModule(log),
    });
    part.runActive();
    // The run fails at once (its connection cannot be had), which ends it.
    await vi.waitFor(() => expect(log).toHaveLength(1));
    expect(flushes).toHaveBeenCalledTimes(1);
    part.runActive();
    await vi.waitFor(() => expect(flushes).toHaveBeenCalledTimes(2));
    part.dispose();
  });
});

describe('share part', () => {
  it('shows the Share button to owners only', () => {
    const part = createSharePart({
      workspaces: {} as never, workspaceId: 'w1', onAccessLost: () => undefined, onRoleChanged: () => undefined,
    });
    expect(part.button.hidden).toBe(true);
    part.setAccess('editor');
    expect(part.button.hidden).toBe(true);
    part.open();
    expect(document.querySelector('[data-testid="share-dialog"]')).toBeNull();
    part.setAccess('owner', 'ann');
    expect(part.button.hidden).toBe(false);
  });
});

describe('shortcuts', () => {
  function press(target: EventTarget, key: string) {
    const event = new KeyboardEvent('keydown', { key, ctrlKey: true, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    return event;
  }

  it('Ctrl+Enter runs outside the editor and dialogs; Ctrl+S flushes instead of saving the page', () => {
    const editorHost = document.createElement('div');
    const dialog = document.createElement('div');
    dialog.className = 'modal-backdrop';
    const input = document.createElement('input');
    dialog.append(input);
    document.body.append(editorHost, dialog);
    const done: string[] = [];
    const stop = listenForShortcuts(document, {
      isInEditor: (node) => editorHost.contains(node),
      run: () => done.push('run'),
      save: () => done.push('save'),
    });
    expect(press(document.body, 'Enter').defaultPrevented).toBe(true);
    press(editorHost, 'Enter');
    press(input, 'Enter');
    expect(press(document.body, 's').defaultPrevented).toBe(true);
    expect(done).toEqual(['run', 'save']);
    stop();
    press(document.body, 'Enter');
    expect(done).toEqual(['run', 'save']);
  });
});

describe('turns', () => {
  it('runs flushes and file operations one at a time, even after one failed', async () => {
    const exclusive = createTurns();
    const log: string[] = [];
    let release!: () => void;
    const first = exclusive(() => new Promise<void>((resolve) => {
      log.push('move starts');
      release = () => {
        log.push('move ends');
        resolve();
      };
    }));
    const failing = exclusive(async () => {
      log.push('delete');
      throw new Error('no');
    });
    const third = exclusive(async () => void log.push('flush'));
    await flush();
    expect(log).toEqual(['move starts']);
    release();
    await first;
    await expect(failing).rejects.toThrow('no');
    await third;
    expect(log).toEqual(['move starts', 'move ends', 'delete', 'flush']);
  });
});
