// The editor column: the tab strip, the editor (the editing core, once loaded) and its empty
// state. It decides which files are open and which is shown; the editing core owns their text.
// The ?file= query parameter follows the shown file, so a reload shows it again.
import { errorMessage } from '../../api';
import { h } from '../../dom';
import type { Diagnostic, DocumentClosed, EditorArea } from '../editor-area';
import { TabsModel, createTabStrip } from '../tabs';
import type { ActiveFile, CheckedFiles, EditorSignals, Notify, OpenFiles } from './contracts';
import { Emitter } from './emitter';

export interface EditorPartOptions {
  notify: Notify;
  /** Aborted when the screen goes. */
  signal: AbortSignal;
}

export interface EditorPart extends OpenFiles, ActiveFile, CheckedFiles, EditorSignals {
  readonly el: HTMLElement;
  /** Where the editing core puts the editor. */
  readonly editorHost: HTMLElement;
  /** A file is about to be shown (the tree reveals it). */
  onShow(listener: (path: string) => void): () => void;
  /** The editing core is loaded: the shown file's text appears. */
  attach(area: EditorArea): Promise<void>;
  /** Gets what was typed into the files (not in a turn: the caller holds one). */
  flush(timeoutMs: number): Promise<void>;
  dispose(): void;
}

export function createEditorPart(options: EditorPartOptions): EditorPart {
  const { notify, signal } = options;
  const tabs = new TabsModel();
  let area: EditorArea | null = null;
  const areaSubscriptions: Array<() => void> = [];
  const show = new Emitter<[string]>();
  const shown = new Emitter<[string]>();
  const released = new Emitter<[string]>();
  const activeChanged = new Emitter<[string | null]>();
  const textChanged = new Emitter<[string, boolean]>();
  const languageServerChanged = new Emitter<[string, boolean]>();
  const documentClosed = new Emitter<[DocumentClosed]>();
  const runRequested = new Emitter<[]>();

  const tabStrip = createTabStrip(tabs, { onActivate: (path) => void open(path), onClose: (path) => closeTab(path) });
  const editorHost = h('div', { class: 'editor', 'data-testid': 'editor' });
  const emptyState = h('div', { class: 'editor-empty', 'data-testid': 'editor-empty' },
    h('div', { class: 'editor-empty-mark', 'aria-hidden': 'true' }, '⟨/⟩'),
    h('p', null, 'Open a file from the explorer, or create one.'),
    h('dl', { class: 'shortcuts' },
      h('dt', null, 'Run the file'), h('dd', null, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Enter')),
      h('dt', null, 'Rename in the tree'), h('dd', null, h('kbd', null, 'F2')),
      h('dt', null, 'End program input'), h('dd', null, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'D')),
    ),
  );
  const el = h('div', { class: 'ide-main' },
    tabStrip.el,
    h('div', { class: 'editor-wrap' }, editorHost, emptyState),
  );

  tabs.onChange(() => {
    tabStrip.render();
    const active = tabs.active;
    emptyState.hidden = active !== null;
    const url = new URL(location.href);
    if (active) url.searchParams.set('file', active);
    else url.searchParams.delete('file');
    if (!signal.aborted && url.href !== location.href) history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    activeChanged.fire(active);
  });

  async function open(path: string): Promise<void> {
    tabs.open(path);
    show.fire(path);
    if (!area) return; // shown once the editor has loaded
    try {
      await area.open(path);
    } catch (err) {
      if (signal.aborted) return;
      notify(`Could not open ${path}: ${errorMessage(err)}`, 'error');
      closeTab(path);
      return;
    }
    shown.fire(path);
  }

  function release(path: string): void {
    area?.close(path);
    released.fire(path);
  }

  function closeTab(path: string): void {
    const wasActive = tabs.active === path;
    const next = tabs.close(path);
    release(path);
    if (wasActive && next) void open(next);
  }

  function followMove(from: string, to: string): void {
    const before = tabs.active;
    const change = tabs.move(from, to);
    for (const [old] of change.moved) release(old);
    for (const gone of change.closed) release(gone);
    // The shown file was renamed or replaced: show what its tab now holds.
    if (tabs.active && tabs.active !== before) void open(tabs.active);
  }

  function followDelete(path: string): void {
    const before = tabs.active;
    for (const gone of tabs.remove(path)) release(gone);
    if (tabs.active && tabs.active !== before) void open(tabs.active);
  }

  return {
    el,
    editorHost,
    get active() {
      return tabs.active;
    },
    open,
    followMove,
    followDelete,
    onShow: (listener) => show.on(listener),
    onShown: (listener) => shown.on(listener),
    onReleased: (listener) => released.on(listener),
    onActiveChanged: (listener) => activeChanged.on(listener),
    onTextChanged: (listener) => textChanged.on(listener),
    onLanguageServerChanged: (listener) => languageServerChanged.on(listener),
    hasLanguageServer: (path: string) => area?.hasLanguageServer(path) ?? false,
    onDocumentClosed: (listener) => documentClosed.on(listener),
    onRunRequested: (listener) => runRequested.on(listener),
    setDiagnostics: (path: string, diagnostics: readonly Diagnostic[]) => area?.setDiagnostics(path, diagnostics),
    flush: (timeoutMs) => area?.flushToFiles(timeoutMs) ?? Promise.resolve(),
    async attach(created) {
      area = created;
      areaSubscriptions.push(
        created.onDidChangeText((path, local) => textChanged.fire(path, local)),
        created.onDidChangeLanguageServer((path, serving) => languageServerChanged.fire(path, serving)),
        created.onDidCloseDocument((closed) => documentClosed.fire(closed)),
        created.onRunRequested(() => runRequested.fire()),
      );
      if (tabs.active) await open(tabs.active);
    },
    dispose() {
      for (const unsubscribe of areaSubscriptions) unsubscribe();
      area?.dispose();
      for (const emitter of [show, shown, released, activeChanged, textChanged, languageServerChanged, documentClosed, runRequested]) emitter.clear();
    },
  };
}
