// The IDE screen. Loaded lazily (import('./ide')) so that the editor stack (Monaco, xterm, ot.js)
// never weighs on the sign-in and workspace-list screens; the editing core is a further chunk.
//
// Layout: a header (workspace name, presence, connection status, share, run), a side bar with the
// file tree, the tab strip and the editor, and the output panel below.
import { ApiError, FilesApi, errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h } from '../dom';
import type { EditorArea } from './editor-area';

export function mountIde(ctx: AppContext, workspaceId: string): View {
  ctx.setTitle('Workspace');
  const controller = new AbortController();
  const files = new FilesApi(ctx.api.client, workspaceId);
  const title = h('h1', { class: 'ide-title', 'data-testid': 'ide-workspace-name' }, 'Loading workspace…');
  const presenceHost = h('div', { class: 'presence', 'data-testid': 'presence' });
  const statusHost = h('span', { class: 'connection-status', 'data-testid': 'connection-status', 'data-state': 'offline' }, 'offline');
  const tree = h('ul', { class: 'file-tree', 'data-testid': 'file-tree' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const editorHost = h('div', { class: 'editor', 'data-testid': 'editor' });
  const output = h('pre', { class: 'output', 'data-testid': 'output' });

  const el = h('section', { class: 'ide', 'data-testid': 'ide-screen', 'data-workspace-id': workspaceId },
    h('header', { class: 'ide-header' },
      h('a', { href: '/', 'data-testid': 'ide-back' }, '←'), title, h('span', { class: 'spacer' }), presenceHost, statusHost),
    h('aside', { class: 'ide-side' }, tree),
    h('div', { class: 'ide-main' }, tabs, editorHost, output),
  );

  let area: EditorArea | null = null;
  const openTabs: string[] = [];

  function renderTabs(): void {
    tabs.replaceChildren(...openTabs.map((path) =>
      h('button', {
        type: 'button', role: 'tab', class: 'tab', 'data-testid': 'tab', 'data-path': path,
        'aria-selected': area?.activePath() === path ? 'true' : 'false',
        onclick: () => void openFile(path),
      }, path.split('/').pop() ?? path)));
  }

  async function openFile(path: string): Promise<void> {
    if (!area) return;
    if (!openTabs.includes(path)) openTabs.push(path);
    await area.open(path);
    renderTabs();
  }

  async function load(): Promise<void> {
    const ws = await ctx.api.workspaces.get(workspaceId, controller.signal);
    ctx.setTitle(ws.name);
    title.textContent = ws.name;
    const { createEditorArea } = await import('./editor');
    if (controller.signal.aborted) return;
    area = await createEditorArea({ api: ctx.api, workspaceId, readOnly: ws.role === 'viewer', editorHost, presenceHost, statusHost });
    if (controller.signal.aborted) {
      area.dispose();
      return;
    }
    const entries = await files.getTree(controller.signal);
    tree.replaceChildren(...entries.filter((e) => e.type === 'file').map((e) =>
      h('li', { class: 'file-tree-item', 'data-testid': 'file-tree-item', 'data-path': e.path, onclick: () => void openFile(e.path) }, e.path)));
    const wanted = new URLSearchParams(location.search).get('file');
    if (wanted) await openFile(wanted);
  }

  load().catch((err: unknown) => {
    if (controller.signal.aborted) return;
    if (err instanceof ApiError && err.status === 404) {
      ctx.setTitle('Workspace not found');
      title.textContent = 'Workspace not found';
    } else {
      title.textContent = `Could not open the workspace: ${errorMessage(err)}`;
    }
    el.dataset.error = 'true';
  });

  return {
    el,
    dispose: () => {
      controller.abort();
      area?.dispose();
    },
  };
}
