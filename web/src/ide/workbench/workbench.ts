// The IDE screen (the workbench). Loaded lazily (import('./ide')) so that the editor stack
// (Monaco, xterm, ot.js) never weighs on the sign-in and workspace-list screens; the editing core
// is a further chunk, loaded while the tree and the terminal come up.
//
// Layout: a header (workspace name, presence, connection status, share, run), a side bar with the
// file tree, then the tab strip, the editor and the output panel. Each of those is a part (the
// *-part.ts files beside this one) that knows the others only through ./contracts.ts; this module
// builds them, lays them out and wires their events.
import { ApiError, FilesApi, errorMessage, watchFileEvents } from '../../api';
import type { AppContext, View } from '../../context';
import { h } from '../../dom';
import { checkOverHttp } from '../check';
import type { DocumentClosed } from '../editor-area';
import { LanguageCatalog } from '../languages';
import { createSplitter } from '../splitter';
import { baseName } from '../tree/paths';
import { createChecksPart } from './checks-part';
import { createEditorPart } from './editor-part';
import { createHeaderPart } from './header-part';
import { listenForShortcuts } from './keyboard';
import { createRunPart } from './run-part';
import { createSharePart } from './share-part';
import { createToastsPart } from './toasts-part';
import { createTreePart } from './tree-part';
import { createTurns } from './turns';

/** How long a "workspace gone" message shows before the screen goes back to the list. */
const GONE_NOTICE_MS = 2500;

export function mountIde(ctx: AppContext, workspaceId: string): View {
  ctx.setTitle('Workspace');
  const controller = new AbortController();
  const signal = controller.signal;
  const cleanups: Array<() => void> = [];
  const exclusive = createTurns();
  // Asked at once (once per page load, docs/api.md §5); the editing core waits for it, checks follow it.
  let languages = new LanguageCatalog([]);
  const languagesLoaded = ctx.api.languages.list().then((list) => (languages = new LanguageCatalog(list)));

  const toasts = createToastsPart();
  const notify = toasts.notify;
  const editor = createEditorPart({ notify, signal });
  const flushFiles = (timeoutMs: number) => exclusive(() => editor.flush(timeoutMs));
  const tree = createTreePart({
    files: new FilesApi(ctx.api.client, workspaceId),
    watch: (handlers) => watchFileEvents(ctx.api.client, workspaceId, handlers, { signal }),
    openFiles: editor,
    exclusive,
    flushBeforeMove: () => editor.flush(3000),
    notify,
    signal,
    onLiveStopped: confirmAccessAfterStreamStopped,
  });
  const run = createRunPart({
    file: editor,
    flush: flushFiles,
    socketUrl: () => ctx.api.client.socketUrl(`/ws/exec/${encodeURIComponent(workspaceId)}`),
    notify,
    signal,
  });
  const checks = createChecksPart({ files: editor, check: checkOverHttp(ctx.api.client, workspaceId), flush: flushFiles,
    isCheckable: (path) => languages.isCheckable(path) });
  const share = createSharePart({
    workspaces: ctx.api.workspaces,
    workspaceId,
    onAccessLost: () => workspaceGone('You no longer have access to this workspace.'),
    onRoleChanged: () => ctx.navigate(location.pathname + location.search, { replace: true }),
  });
  const header = createHeaderPart([share.button, run.button]);

  const body = h('div', { class: 'ide-body' }, tree.el);
  const el = h('section', { class: 'ide', 'data-testid': 'ide-screen', 'data-workspace-id': workspaceId },
    header.el,
    body,
    toasts.el,
  );
  body.append(
    createSplitter({
      target: el, property: '--side-width', axis: 'x', initial: 240, min: 140, max: () => Math.max(200, innerWidth * 0.6),
      direction: 1, storageKey: 'webide.ide.side-width', label: 'Resize the side bar', onResize: () => run.fit(),
    }),
    h('div', { class: 'ide-column' },
      editor.el,
      createSplitter({
        target: el, property: '--output-height', axis: 'y', initial: 220, min: 80, max: () => Math.max(120, innerHeight - 220),
        direction: -1, storageKey: 'webide.ide.output-height', label: 'Resize the output panel', onResize: () => run.fit(),
      }),
      run.panelHost,
    ),
  );

  // ---- wiring ----------------------------------------------------------------------------
  cleanups.push(
    editor.onShow((path) => tree.reveal(path)),
    editor.onActiveChanged((active) => {
      ctx.setTitle(active ? `${baseName(active)} · ${header.title()}` : header.title());
    }),
    editor.onDocumentClosed(onDocumentClosed),
    editor.onRunRequested(() => run.runActive()),
    listenForShortcuts(document, {
      isInEditor: (target) => editor.editorHost.contains(target),
      run: () => run.runActive(),
      save: () => void flushFiles(5000).catch(() => undefined),
    }),
  );

  function onDocumentClosed(closed: DocumentClosed): void {
    if (closed.reason === 'moved' && closed.to) {
      tree.moved(closed.path, closed.to);
      editor.followMove(closed.path, closed.to);
    } else if (closed.reason === 'deleted') editor.followDelete(closed.path);
    else if (closed.reason === 'workspace-deleted') workspaceGone('This workspace was deleted.');
  }

  /**
   * The stream stops for good with a 404 when the workspace was deleted or the user removed.
   * Confirmed first: only a workspace that is itself refused means the user has to leave.
   */
  function confirmAccessAfterStreamStopped(error: unknown): void {
    if (!(error instanceof ApiError && error.status === 404)) return;
    ctx.api.workspaces.get(workspaceId, signal).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) workspaceGone('This workspace was deleted, or you no longer have access to it.');
    });
  }

  function workspaceGone(message: string): void {
    notify(message, 'error');
    header.showProblem(message);
    el.dataset.error = 'true';
    setTimeout(() => {
      if (!signal.aborted) ctx.navigate('/', { replace: true });
    }, GONE_NOTICE_MS);
  }

  // ---- loading ---------------------------------------------------------------------------
  async function load(): Promise<void> {
    const ws = await ctx.api.workspaces.get(workspaceId, signal);
    if (signal.aborted) return;
    ctx.setTitle(ws.name);
    header.showWorkspace(ws);
    share.setAccess(ws.role);
    el.dataset.role = ws.role;
    const canWrite = ws.role !== 'viewer';
    run.preload();
    ctx.api.auth.me().then((user) => share.setAccess(ws.role, user.username), () => undefined);
    tree.start(canWrite);

    // The ?file= deep link shows as a tab at once; its text follows when the editor is ready.
    const wanted = new URLSearchParams(location.search).get('file');
    if (wanted) void editor.open(wanted);

    const [{ createEditingCore }, catalog] = await Promise.all([import('../editing-core'), languagesLoaded]);
    if (signal.aborted) return;
    const area = await createEditingCore({
      api: ctx.api, workspaceId, readOnly: !canWrite,
      editorHost: editor.editorHost, presenceHost: header.presenceHost, statusHost: header.statusHost,
      editorLanguage: (path) => catalog.editorLanguage(path),
      serverLanguage: (path) => catalog.serverLanguage(path),
      openFile: (path) => editor.open(path),
    });
    if (signal.aborted) {
      area.dispose();
      return;
    }
    await editor.attach(area);
  }

  load().catch((err: unknown) => {
    if (signal.aborted) return;
    if (err instanceof ApiError && err.status === 404) {
      ctx.setTitle('Workspace not found');
      header.showProblem('Workspace not found');
    } else {
      header.showProblem(`Could not open the workspace: ${errorMessage(err)}`);
    }
    el.dataset.error = 'true';
  });

  return {
    el,
    dispose: () => {
      controller.abort();
      for (const cleanup of cleanups) cleanup();
      tree.dispose();
      checks.dispose();
      share.dispose();
      run.dispose();
      editor.dispose();
      for (const stray of document.querySelectorAll('.modal-backdrop, .context-menu')) stray.remove();
    },
  };
}
