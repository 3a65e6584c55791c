// The IDE screen's wiring with fakes around it: the editing core (vi.mock of ./editing-core), the
// output panel, the gateway (a scripted fetch with a live event stream) and the WebSocket.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, TokenStore, createApi } from '../src/api';
import type { AppContext } from '../src/context';
import type { DocumentClosed, EditorArea, EditorAreaOptions } from '../src/ide/editor-area';
import { MemoryStorage, flush, json, problem, scriptedFetch } from './helpers';
import { LANGUAGES } from './languages-fixture';

const core = vi.hoisted(() => ({
  calls: [] as string[],
  closedListeners: new Set<(c: DocumentClosed) => void>(),
  active: null as string | null,
  options: null as EditorAreaOptions | null,
}));

vi.mock('../src/ide/editing-core', () => ({
  createEditingCore: async (options: EditorAreaOptions): Promise<EditorArea> => (core.options = options, {
    async open(path) {
      core.calls.push(`open ${path}`);
      core.active = path;
    },
    close(path) {
      core.calls.push(`close ${path}`);
    },
    activePath: () => core.active,
    getText: () => '',
    setDiagnostics: (path, ds) => void core.calls.push(`markers ${path} ${ds.length}`),
    async flushToFiles() {
      core.calls.push('flush');
    },
    onDidChangeText: () => () => undefined,
    onDidCloseDocument(listener) {
      core.closedListeners.add(listener);
      return () => core.closedListeners.delete(listener);
    },
    onRunRequested: () => () => undefined,
    hasLanguageServer: () => false,
    onDidChangeLanguageServer: () => () => undefined,
    connectionState: () => 'online',
    dispose: () => undefined,
  }),
}));

vi.mock('../src/ide/run/output-panel', () => ({
  createOutputPanel: () => {
    const el = document.createElement('div');
    el.dataset.testid = 'output';
    const log = (line: string) => (el.textContent += line + '\n');
    return {
      el,
      begin: (t: string) => log(`begin ${t}`),
      write: (_s: string, d: string) => log(d),
      note: (t: string) => log(t),
      setStatus: (s: string) => (el.dataset.status = s),
      setLive: () => undefined,
      fit: () => undefined,
      dispose: () => undefined,
    };
  },
}));

class FakeWebSocket {
  static created: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.created.push(this);
    core.calls.push('socket');
  }
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.readyState = 3;
  }
}

let languagesAnswer = () => json(200, LANGUAGES);
let push: (event: Record<string, unknown>) => void = () => undefined;
let seq = 0;
let tickets = 0;

function gateway(tree: string[]) {
  const encoder = new TextEncoder();
  return scriptedFetch([], (call) => {
    if (call.url === '/api/workspaces/w1') return json(200, { id: 'w1', name: 'alpha', role: 'owner', members: [] });
    if (call.url === '/api/languages') return languagesAnswer();
    if (call.url === '/api/auth/me') return json(200, { id: 'u1', username: 'ann', displayName: 'Ann' });
    if (call.url === '/api/auth/ticket' && call.method === 'POST') return json(200, { ticket: `ticket-${++tickets}`, expiresIn: 30 });
    if (call.url === '/api/workspaces/w1/tree') return json(200, { entries: tree.map((path) => ({ path, type: 'file', version: 1, size: 1 })) });
    if (call.url === '/api/workspaces/w1/check') return json(200, { diagnostics: [] });
    if (call.url === '/api/workspaces/w1/events') {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (event) => {
            seq++;
            const data = { entryType: 'file', userId: 'u2', sequence: seq, at: '', ...event };
            controller.enqueue(encoder.encode(`id: ${seq}\ndata: ${JSON.stringify(data)}\n\n`));
          };
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }
    return problem(404, 'Not found', `${call.method} ${call.url}`);
  });
}

async function mount(path: string, tree: string[]) {
  window.history.replaceState(null, '', path);
  const tokens = new TokenStore(new MemoryStorage());
  tokens.setFromPair({ accessToken: 'acc', tokenType: 'Bearer', expiresIn: 900 });
  const gw = gateway(tree);
  const api = createApi(new ApiClient({ fetch: gw.fetch, tokens }));
  const navigations: string[] = [];
  const ctx: AppContext = { api, navigate: (to) => void navigations.push(to), takeFlash: () => null, setTitle: () => undefined };
  const { mountIde } = await import('../src/ide');
  const view = mountIde(ctx, 'w1');
  document.body.appendChild(view.el);
  return { view, gw, navigations };
}

const tabPaths = () => [...document.querySelectorAll<HTMLElement>('[data-testid="tab"]')].map((t) => t.dataset.path);

describe('IDE workbench wiring', () => {
  beforeEach(() => {
    core.calls.length = 0;
    core.closedListeners.clear();
    core.options = null;
    languagesAnswer = () => json(200, LANGUAGES);
    FakeWebSocket.created = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
  });

  it('opens the ?file= deep link, follows a move from the event stream and a delete from the core', async () => {
    const { view } = await mount('/w/w1?file=a.py', ['a.py', 'b.py']);
    await vi.waitFor(() => expect(core.calls).toContain('open a.py'), { timeout: 5000 });
    expect(tabPaths()).toEqual(['a.py']);
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="file-tree-item"]')).toHaveLength(2), { timeout: 5000 });

    push({ type: 'moved', from: 'a.py', path: 'src/a.py' });
    await vi.waitFor(() => expect(tabPaths()).toEqual(['src/a.py']));
    expect(core.calls).toContain('close a.py');
    await vi.waitFor(() => expect(core.calls).toContain('open src/a.py'));
    expect(new URLSearchParams(location.search).get('file')).toBe('src/a.py');
    expect(document.querySelector('[data-testid="file-tree-item"][data-path="src/a.py"]')).not.toBeNull();

    for (const listener of core.closedListeners) listener({ path: 'src/a.py', reason: 'deleted' });
    expect(tabPaths()).toEqual([]);
    expect(core.calls.at(-1)).toBe('close src/a.py');
    expect(new URLSearchParams(location.search).get('file')).toBeNull();
    view.dispose?.();
  });

  it('Run flushes the editor, then opens the exec socket and runs the active file', async () => {
    const { view } = await mount('/w/w1?file=main.py', ['main.py']);
    await vi.waitFor(() => expect(core.calls).toContain('open main.py'), { timeout: 5000 });
    await vi.waitFor(() => expect(document.querySelector<HTMLButtonElement>('[data-testid="run-button"]')!.disabled).toBe(false));
    core.calls.length = 0;
    document.querySelector<HTMLButtonElement>('[data-testid="run-button"]')!.click();
    await vi.waitFor(() => expect(FakeWebSocket.created).toHaveLength(1));
    expect(core.calls.indexOf('flush')).toBeLessThan(core.calls.indexOf('socket'));
    const socket = FakeWebSocket.created[0]!;
    expect(socket.url).toMatch(/\/ws\/exec\/w1\?ticket=ticket-\d+$/);
    expect(socket.url).not.toContain('acc');
    socket.readyState = 1;
    socket.onopen?.();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ type: 'run', entry: 'main.py' });
    socket.onmessage?.({ data: JSON.stringify({ type: 'stdout', data: 'hi there' }) });
    socket.onmessage?.({ data: JSON.stringify({ type: 'exited', status: 'ok', exitCode: 0, wallTimeMs: 10, cpuTimeMs: 5 }) });
    const output = document.querySelector<HTMLElement>('[data-testid="output"]')!;
    expect(output.textContent).toContain('hi there');
    expect(output.dataset.status).toBe('ok');
    view.dispose?.();
  });

  it('a document closed because the workspace was deleted says so and goes back to the list', async () => {
    const { view, navigations } = await mount('/w/w1?file=a.py', ['a.py']);
    await vi.waitFor(() => expect(core.calls).toContain('open a.py'), { timeout: 5000 });
    for (const listener of core.closedListeners) listener({ path: 'a.py', reason: 'workspace-deleted' });
    expect(document.querySelector('[data-testid="ide-workspace-name"]')!.textContent).toBe('This workspace was deleted.');
    expect(document.querySelector('[data-testid="ide-toast"]')!.textContent).toContain('This workspace was deleted.');
    expect(document.querySelector<HTMLElement>('[data-testid="ide-screen"]')!.dataset.error).toBe('true');
    await vi.waitFor(() => expect(navigations).toEqual(['/']), { timeout: 4000 });
    view.dispose?.();
  });

  it('takes editor languages and checks from GET /api/languages, asked once', async () => {
    const { view, gw } = await mount('/w/w1?file=main.py', ['main.py', 'README.md']);
    await vi.waitFor(() => expect(core.calls).toContain('open main.py'), { timeout: 5000 });
    expect(core.options!.editorLanguage('main.py')).toBe('python');
    expect(core.options!.editorLanguage('README.md')).toBeUndefined();
    await vi.waitFor(() => expect(core.calls).toContain('markers main.py 0'));
    document.querySelector<HTMLElement>('[data-testid="file-tree-item"][data-path="README.md"]')!.click();
    await vi.waitFor(() => expect(core.calls).toContain('open README.md'));
    await flush();
    expect(gw.calls.filter((c) => c.url === '/api/workspaces/w1/check').map((c) => c.body)).toEqual([JSON.stringify({ path: 'main.py' })]);
    expect(gw.calls.filter((c) => c.url === '/api/languages')).toHaveLength(1);
    view.dispose?.();
  });

  it('tells the editing core which files have a language server, and opens a definition\'s file in a tab', async () => {
    languagesAnswer = () => json(200, LANGUAGES.map((l) => (l.name === 'rust' ? { ...l, languageServer: false } : l)));
    const { view } = await mount('/w/w1?file=main.py', ['main.py', 'util.py']);
    await vi.waitFor(() => expect(core.calls).toContain('open main.py'), { timeout: 5000 });
    expect(core.options!.serverLanguage('main.py')).toBe('python');
    expect(core.options!.serverLanguage('lib.rs')).toBeUndefined();
    expect(core.options!.serverLanguage('README.md')).toBeUndefined();

    // Go to definition in util.py: the editing core asks for the file, which opens as a tab and is shown.
    await core.options!.openFile('util.py');
    expect(tabPaths()).toEqual(['main.py', 'util.py']);
    expect(core.calls).toContain('open util.py');
    expect(core.active).toBe('util.py');
    expect(new URLSearchParams(location.search).get('file')).toBe('util.py');
    view.dispose?.();
  });

  it('without the list of languages the file still opens, as the editor sees fit, and is not checked', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    languagesAnswer = () => problem(500, 'Internal Server Error');
    const { view, gw } = await mount('/w/w1?file=main.py', ['main.py']);
    await vi.waitFor(() => expect(core.calls).toContain('open main.py'), { timeout: 5000 });
    expect(core.options!.editorLanguage('main.py')).toBeUndefined();
    await flush();
    expect(gw.calls.some((c) => c.url === '/api/workspaces/w1/check')).toBe(false);
    expect(document.querySelector('[data-testid="ide-toast"]')).toBeNull();
    view.dispose?.();
  });
});
