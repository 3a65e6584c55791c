// The IDE screen (the workbench). Loaded lazily (import('./ide')) so that the editor stack
// (Monaco, xterm, ot.js) never weighs on the sign-in and workspace-list screens; the editing core
// is a further chunk, loaded while the tree and the terminal come up.
//
// Layout: a header (workspace name, presence, connection status, share, run), a side bar with the
// file tree, then the tab strip, the editor and the output panel. This module only wires the
// parts together: the tree (./tree), the tabs (./tabs), runs (./run), checks (./check) and the
// share dialog (./share) each live in their own module.
import { ApiError, FilesApi, errorMessage, watchFileEvents, type FileChangeEvent, type Role } from '../api';
import type { AppContext, View } from '../context';
import { h } from '../dom';
import { CheckScheduler, checkOverHttp } from './check';
import { confirmDialog, promptDialog } from './dialogs';
import type { DocumentClosed, EditorArea } from './editor-area';
import { FileTreeModel } from './file-tree-model';
import { icon } from './icons';
import type { OutputPanel } from './run/output-panel';
import { Runner } from './run/runner';
import { openShareDialog } from './share/share-dialog';
import { createSplitter } from './splitter';
import { TabsModel, createTabStrip } from './tabs';
import { FileActions, TargetExistsError } from './tree/file-actions';
import { createFileTreeView, type TreeAction } from './tree/file-tree-view';
import { baseName, cleanPath, moveTarget, parentOf } from './tree/paths';
import { startTreeSync, type LiveState, type TreeSync } from './tree/tree-sync';

export function mountIde(ctx: AppContext, workspaceId: string): View {
  ctx.setTitle('Workspace');
  const controller = new AbortController();
  const signal = controller.signal;
  const files = new FilesApi(ctx.api.client, workspaceId);
  const model = new FileTreeModel();
  const tabs = new TabsModel();
  let role: Role = 'viewer';
  let me: string | null = null;
  let area: EditorArea | null = null;
  let panel: OutputPanel | null = null;
  let treeSync: TreeSync | null = null;
  const cleanups: Array<() => void> = [];

  // ---- header ----------------------------------------------------------------------------
  const title = h('h1', { class: 'ide-title', 'data-testid': 'ide-workspace-name' }, 'Loading workspace…');
  const roleBadge = h('span', { class: 'role', 'data-testid': 'ide-role', hidden: true });
  const presenceHost = h('div', { class: 'presence', 'data-testid': 'presence' });
  const statusHost = h('span', { class: 'connection-status', 'data-testid': 'connection-status', 'data-state': 'offline' }, 'offline');
  const shareButton = h('button', {
    type: 'button', class: 'btn btn-quiet', 'data-testid': 'share-button', hidden: true, title: 'Manage who can use this workspace',
    onclick: () => openShare(),
  }, 'Share');
  const runButton = h('button', {
    type: 'button', class: 'btn btn-run', 'data-testid': 'run-button', disabled: true, title: 'Run the active file (Ctrl+Enter)',
    onclick: () => runActive(),
  }, h('span', { class: 'run-icon', 'aria-hidden': 'true' }, '▶'), ' Run');

  // ---- side bar --------------------------------------------------------------------------
  const liveState = h('div', { class: 'tree-live', 'data-testid': 'tree-live', 'data-state': 'connecting', hidden: true });
  // Flushes and file operations take turns: a flush for a check that ran in the middle of a
  // move or delete could write the old path back (an editing core may write files on flush).
  let turn: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = turn.then(fn, fn);
    turn = result.catch(() => undefined);
    return result;
  }
  const flushFiles = (timeoutMs: number) => exclusive(() => area?.flushToFiles(timeoutMs) ?? Promise.resolve());
  const actions = new FileActions(files, model, {
    // What was typed in the last moment before a move would be lost with the old document.
    // Runs inside the move's turn (see moveWithConfirm), so it flushes directly.
    beforeMove: () => area?.flushToFiles(3000) ?? Promise.resolve(),
    changed: () => treeView.render(),
  });
  const treeView = createFileTreeView({
    model,
    readOnly: true,
    onOpen: (path) => void openFile(path),
    onAction: (action, path) => void treeAction(action, path),
    onDrop: (from, dir) => void dropMove(from, dir),
  });
  const toolButton = (testId: string, label: string, glyph: string, onclick: () => void) =>
    h('button', { type: 'button', class: 'tool-button', 'data-testid': testId, title: label, 'aria-label': label, onclick }, icon(glyph));
  const newFileButton = toolButton('tree-new-file', 'New File…', 'new-file', () => void treeAction('new-file', targetDir()));
  const newFolderButton = toolButton('tree-new-folder', 'New Folder…', 'new-folder', () => void treeAction('new-folder', targetDir()));
  const sideBar = h('aside', { class: 'ide-side', 'aria-label': 'Explorer' },
    h('div', { class: 'side-header' },
      h('span', { class: 'side-title' }, 'Explorer'),
      h('span', { class: 'spacer' }),
      newFileButton, newFolderButton,
      toolButton('tree-refresh', 'Reload the file tree', 'refresh', () => void treeSync?.reload().catch((err) => notify(errorMessage(err), 'error'))),
    ),
    treeView.el,
    liveState,
  );
  newFileButton.hidden = newFolderButton.hidden = true;

  // ---- editor column ---------------------------------------------------------------------
  const tabStrip = createTabStrip(tabs, { onActivate: (path) => void openFile(path), onClose: (path) => closeTab(path) });
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
  const panelHost = h('div', { class: 'output-host' });
  const main = h('div', { class: 'ide-main' },
    tabStrip.el,
    h('div', { class: 'editor-wrap' }, editorHost, emptyState),
  );
  const toasts = h('div', { class: 'ide-toasts', 'aria-live': 'polite' });

  const body = h('div', { class: 'ide-body' }, sideBar);
  const el = h('section', { class: 'ide', 'data-testid': 'ide-screen', 'data-workspace-id': workspaceId },
    h('header', { class: 'ide-header' },
      h('a', { href: '/', class: 'ide-back', 'data-testid': 'ide-back', title: 'All workspaces', 'aria-label': 'Back to the workspaces' }, '←'),
      title, roleBadge,
      h('span', { class: 'spacer' }),
      presenceHost, statusHost, shareButton, runButton),
    body,
    toasts,
  );
  body.append(
    createSplitter({
      target: el, property: '--side-width', axis: 'x', initial: 240, min: 140, max: () => Math.max(200, innerWidth * 0.6),
      direction: 1, storageKey: 'webide.ide.side-width', label: 'Resize the side bar', onResize: () => panel?.fit(),
    }),
    h('div', { class: 'ide-column' },
      main,
      createSplitter({
        target: el, property: '--output-height', axis: 'y', initial: 220, min: 80, max: () => Math.max(120, innerHeight - 220),
        direction: -1, storageKey: 'webide.ide.output-height', label: 'Resize the output panel', onResize: () => panel?.fit(),
      }),
      panelHost,
    ),
  );

  // ---- runs and checks -------------------------------------------------------------------
  const runner = new Runner({
    // Runs start only once the panel is there (runActive waits for loadPanel).
    panel: () => panel!,
    flush: () => flushFiles(5000),
    socketUrl: () => ctx.api.client.socketUrl(`/ws/exec/${encodeURIComponent(workspaceId)}`),
    onBusy: (busy) => {
      runButton.classList.toggle('busy', busy);
      runButton.title = busy ? 'Run again (stops the running program)' : 'Run the active file (Ctrl+Enter)';
    },
  });
  const checker = new CheckScheduler({
    check: checkOverHttp(ctx.api.client, workspaceId),
    flush: () => flushFiles(5000),
    apply: (path, diagnostics) => area?.setDiagnostics(path, diagnostics),
    // Markers are a help, not a task: a failed check keeps the old ones and says so quietly.
    onError: (path, err) => console.warn(`check of ${path} failed:`, errorMessage(err)),
  });

  // xterm.js is a chunk of its own, fetched as the screen opens: the tree, the tabs and the
  // editor do not wait for it.
  let panelLoading: Promise<OutputPanel> | null = null;
  function loadPanel(): Promise<OutputPanel> {
    panelLoading ??= import('./run/output-panel').then(({ createOutputPanel }) => {
      if (panel) return panel;
      panel = createOutputPanel({
        stdin: (data) => runner.stdin(data),
        closeStdin: () => runner.closeStdin(),
        kill: () => runner.kill(),
        runRequested: () => runActive(),
      });
      if (signal.aborted) panel.dispose();
      else panelHost.replaceChildren(panel.el);
      requestAnimationFrame(() => panel?.fit());
      return panel;
    });
    return panelLoading;
  }

  let lastRunAt = 0;
  function runActive(): void {
    const path = tabs.active;
    if (!path) {
      void loadPanel().then((p) => p.note('Open a file to run it.', 'warn'));
      return;
    }
    // The editor and the document may both see one Ctrl+Enter.
    if (Date.now() - lastRunAt < 300) return;
    lastRunAt = Date.now();
    void loadPanel().then(() => {
      if (!signal.aborted) return runner.run(path);
    }, (err: unknown) => notify(`The output panel failed to load: ${errorMessage(err)}`, 'error'));
  }

  // ---- tabs ------------------------------------------------------------------------------
  tabs.onChange(() => {
    tabStrip.render();
    const active = tabs.active;
    emptyState.hidden = active !== null;
    runButton.disabled = active === null;
    const url = new URL(location.href);
    if (active) url.searchParams.set('file', active);
    else url.searchParams.delete('file');
    if (!signal.aborted && url.href !== location.href) history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    ctx.setTitle(active ? `${baseName(active)} · ${title.textContent ?? ''}` : title.textContent ?? 'Workspace');
  });

  async function openFile(path: string): Promise<void> {
    tabs.open(path);
    treeView.reveal(path);
    if (!area) return; // shown once the editor has loaded
    try {
      await area.open(path);
    } catch (err) {
      if (signal.aborted) return;
      notify(`Could not open ${path}: ${errorMessage(err)}`, 'error');
      closeTab(path);
      return;
    }
    void checker.checkNow(path);
  }

  function closeTab(path: string): void {
    const wasActive = tabs.active === path;
    const next = tabs.close(path);
    area?.close(path);
    checker.forget(path);
    if (wasActive && next) void openFile(next);
  }

  /** An entry moved (by anyone): the tree's folds and the tabs follow it. */
  function followMove(from: string, to: string): void {
    treeView.moved(from, to);
    const before = tabs.active;
    const change = tabs.move(from, to);
    for (const [old] of change.moved) {
      area?.close(old);
      checker.forget(old);
    }
    for (const gone of change.closed) {
      area?.close(gone);
      checker.forget(gone);
    }
    // The shown file was renamed or replaced: show what its tab now holds.
    if (tabs.active && tabs.active !== before) void openFile(tabs.active);
  }

  /** An entry was deleted (by anyone): its tabs close. */
  function followDelete(path: string): void {
    const before = tabs.active;
    for (const gone of tabs.remove(path)) {
      area?.close(gone);
      checker.forget(gone);
    }
    if (tabs.active && tabs.active !== before) void openFile(tabs.active);
  }

  function onStreamEvent(event: FileChangeEvent): void {
    if (event.type === 'moved' && event.from !== undefined) followMove(event.from, event.path);
    else if (event.type === 'deleted') followDelete(event.path);
  }

  function onDocumentClosed(closed: DocumentClosed): void {
    if (closed.reason === 'moved' && closed.to) followMove(closed.path, closed.to);
    else if (closed.reason === 'deleted') followDelete(closed.path);
    else if (closed.reason === 'workspace-deleted') workspaceGone('This workspace was deleted.');
  }

  // ---- file operations -------------------------------------------------------------------
  function targetDir(): string {
    const selected = treeView.selected();
    if (selected === null) return '';
    return model.get(selected)?.type === 'directory' ? selected : parentOf(selected);
  }

  async function treeAction(action: TreeAction, path: string): Promise<void> {
    if (role === 'viewer') return;
    switch (action) {
      case 'new-file':
        await promptDialog('New file', {
          label: path ? `Name (in ${path}/)` : 'Name', okLabel: 'Create',
          submit: async (name) => {
            const created = await actions.createFile(path, name);
            void openFile(created);
          },
        });
        break;
      case 'new-folder':
        await promptDialog('New folder', {
          label: path ? `Name (in ${path}/)` : 'Name', okLabel: 'Create',
          submit: async (name) => treeView.reveal(await actions.createFolder(path, name)),
        });
        break;
      case 'rename': {
        const name = baseName(path);
        const dot = name.lastIndexOf('.');
        const start = path.length - name.length;
        await promptDialog('Rename', {
          label: 'New path (change the folder part to move it)', value: path, okLabel: 'Rename',
          select: [start, dot > 0 && model.get(path)?.type === 'file' ? start + dot : path.length],
          submit: (to) => moveWithConfirm(path, to),
        });
        break;
      }
      case 'move':
        await promptDialog('Move to folder', {
          label: 'Folder (empty for the top level)', value: parentOf(path), okLabel: 'Move',
          validate: () => null,
          submit: (dir) => moveWithConfirm(path, moveTarget(path, dir.trim() === '' ? '' : cleanPath(dir))),
        });
        break;
      case 'delete': {
        const isDir = model.get(path)?.type === 'directory';
        const ok = await confirmDialog('Delete', `Delete “${path}”${isDir ? ' and everything in it' : ''}? This cannot be undone.`, 'Delete', true);
        if (!ok) return;
        try {
          await exclusive(async () => {
            await actions.delete(path);
            followDelete(path);
          });
        } catch (err) {
          notify(`Could not delete ${path}: ${errorMessage(err)}`, 'error');
        }
        break;
      }
    }
  }

  /** Moves, asking first when something is in the way. Throws (for the dialog) when it did not happen. */
  async function moveWithConfirm(from: string, to: string): Promise<void> {
    const move = (target: string, overwrite: boolean) => exclusive(async () => {
      const moved = await actions.rename(from, target, overwrite);
      followMove(from, moved);
      treeView.reveal(moved);
    });
    try {
      await move(to, false);
    } catch (err) {
      if (!(err instanceof TargetExistsError)) throw err;
      // Asked outside the turn: a dialog must not hold up checks and runs.
      const replace = await confirmDialog('Replace?', `“${err.to}” already exists. Replace it with “${from}”?`, 'Replace', true);
      if (!replace) throw err;
      await move(err.to, true);
    }
  }

  async function dropMove(from: string, dir: string): Promise<void> {
    if (role === 'viewer') return;
    try {
      await moveWithConfirm(from, moveTarget(from, dir));
    } catch (err) {
      notify(`Could not move ${from}: ${errorMessage(err)}`, 'error');
    }
  }

  // ---- share -----------------------------------------------------------------------------
  let share: ReturnType<typeof openShareDialog> | null = null;
  function openShare(): void {
    if (role !== 'owner' || share) return;
    share = openShareDialog({
      workspaces: ctx.api.workspaces, workspaceId, me,
      onOwnRoleChanged: (next) => {
        if (next === null) workspaceGone('You no longer have access to this workspace.');
        else if (next !== role) {
          share?.close();
          // Editing rights are fixed when the editor opens: mount the screen again with the new role.
          ctx.navigate(location.pathname + location.search, { replace: true });
        }
      },
    });
    void share.closed.then(() => (share = null));
  }

  function workspaceGone(message: string): void {
    notify(message, 'error');
    title.textContent = message;
    el.dataset.error = 'true';
    setTimeout(() => {
      if (!signal.aborted) ctx.navigate('/', { replace: true });
    }, 2500);
  }

  // ---- notifications ---------------------------------------------------------------------
  function notify(message: string, tone: 'info' | 'error' = 'info'): void {
    const toast = h('div', { class: `toast toast-${tone}`, role: tone === 'error' ? 'alert' : 'status', 'data-testid': 'ide-toast' },
      h('span', null, message),
      h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => toast.remove() }, '×'));
    toasts.appendChild(toast);
    setTimeout(() => toast.remove(), 8000);
  }

  function showLiveState(state: LiveState, error?: unknown): void {
    // The stream stops for good with a 404 when the workspace was deleted or the user removed.
    // Confirmed first: only a workspace that is itself refused means the user has to leave.
    if (state === 'stopped' && error instanceof ApiError && error.status === 404) {
      ctx.api.workspaces.get(workspaceId, signal).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) workspaceGone('This workspace was deleted, or you no longer have access to it.');
      });
    }
    liveState.dataset.state = state;
    liveState.hidden = state === 'live' || state === 'connecting';
    liveState.textContent = state === 'reconnecting'
      ? 'Live updates interrupted; reconnecting…'
      : `Live updates stopped${error ? `: ${errorMessage(error)}` : ''}.`;
  }

  // ---- keyboard --------------------------------------------------------------------------
  function onDocumentKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || !(e.ctrlKey || e.metaKey)) return;
    // Keys typed into a dialog belong to it.
    if ((e.target as Element | null)?.closest?.('.modal-backdrop')) return;
    if (e.key === 'Enter') {
      // Inside the editor the editing core reports it (onRunRequested).
      if (editorHost.contains(e.target as Node)) return;
      e.preventDefault();
      runActive();
    } else if (e.key === 's' || e.key === 'S') {
      // Edits are saved as they are typed; keep the browser's "save page" dialog away.
      e.preventDefault();
      void flushFiles(5000).catch(() => undefined);
    }
  }
  document.addEventListener('keydown', onDocumentKey);
  cleanups.push(() => document.removeEventListener('keydown', onDocumentKey));

  // ---- loading ---------------------------------------------------------------------------
  async function load(): Promise<void> {
    const ws = await ctx.api.workspaces.get(workspaceId, signal);
    if (signal.aborted) return;
    role = ws.role;
    ctx.setTitle(ws.name);
    title.textContent = ws.name;
    roleBadge.textContent = ws.role;
    roleBadge.className = `role role-${ws.role}`;
    roleBadge.hidden = false;
    shareButton.hidden = ws.role !== 'owner';
    el.dataset.role = ws.role;
    const canWrite = ws.role !== 'viewer';
    newFileButton.hidden = newFolderButton.hidden = !canWrite;
    void loadPanel().catch(() => undefined);
    ctx.api.auth.me().then((user) => (me = user.username), () => undefined);

    treeSync = startTreeSync({
      files,
      model,
      watch: (handlers) => watchFileEvents(ctx.api.client, workspaceId, handlers, { signal }),
      onChange: () => treeView.render(),
      onEvent: onStreamEvent,
      onLiveState: showLiveState,
    });
    treeView.setReadOnly(!canWrite);
    treeSync.ready.then(() => treeView.render(), (err: unknown) => {
      if (!signal.aborted) notify(`Could not load the files: ${errorMessage(err)}`, 'error');
    });

    // The ?file= deep link shows as a tab at once; its text follows when the editor is ready.
    const wanted = new URLSearchParams(location.search).get('file');
    if (wanted) void openFile(wanted);

    const { createEditingCore } = await import('./editing-core');
    if (signal.aborted) return;
    const created = await createEditingCore({ api: ctx.api, workspaceId, readOnly: !canWrite, editorHost, presenceHost, statusHost });
    if (signal.aborted) {
      created.dispose();
      return;
    }
    area = created;
    cleanups.push(
      area.onDidChangeText((path, local) => checker.textChanged(path, local)),
      area.onDidCloseDocument(onDocumentClosed),
      area.onRunRequested(() => runActive()),
    );
    if (tabs.active) await openFile(tabs.active);
  }

  load().catch((err: unknown) => {
    if (signal.aborted) return;
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
      for (const cleanup of cleanups) cleanup();
      treeSync?.dispose();
      runner.dispose();
      checker.dispose();
      share?.close();
      panel?.dispose();
      area?.dispose();
      for (const stray of document.querySelectorAll('.modal-backdrop, .context-menu')) stray.remove();
    },
  };
}
