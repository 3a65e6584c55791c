// The side bar: the explorer (../tree), its New File / New Folder / Reload buttons, the state of
// its live updates, and the file operations it offers. Moves and deletes, its own and those the
// event stream reports, are passed on to the open files.
import { errorMessage, type FileChangeEvent, type FileEventsHandlers, type FileEventsWatch, type FilesApi } from '../../api';
import { h } from '../../dom';
import { confirmDialog, promptDialog } from '../dialogs';
import { FileTreeModel } from '../file-tree-model';
import { icon } from '../icons';
import { FileActions, TargetExistsError } from '../tree/file-actions';
import { createFileTreeView, type TreeAction } from '../tree/file-tree-view';
import { baseName, cleanPath, moveTarget, parentOf } from '../tree/paths';
import { startTreeSync, type LiveState, type TreeSync } from '../tree/tree-sync';
import type { Exclusive, Notify, OpenFiles } from './contracts';

export interface TreePartOptions {
  files: FilesApi;
  /** Watches the workspace's file events (watchFileEvents bound to the workspace). */
  watch(handlers: FileEventsHandlers): FileEventsWatch;
  openFiles: OpenFiles;
  /** Flushes and file operations take turns. */
  exclusive: Exclusive;
  /** Gets the last keystrokes into the files; called inside a move's turn. */
  flushBeforeMove(): Promise<void>;
  notify: Notify;
  /** Aborted when the screen goes. */
  signal: AbortSignal;
  /** The live updates stopped for good (a 404 when the workspace or the access is gone). */
  onLiveStopped?(error: unknown): void;
}

export interface TreePart {
  readonly el: HTMLElement;
  /** Loads the tree and follows the event stream; `canWrite` offers the file operations. */
  start(canWrite: boolean): void;
  /** Unfolds the folders above `path` and marks it. */
  reveal(path: string): void;
  /** An entry moved elsewhere than in the tree (a document the server closed): folds follow it. */
  moved(from: string, to: string): void;
  dispose(): void;
}

export function createTreePart(options: TreePartOptions): TreePart {
  const { files, openFiles, exclusive, notify } = options;
  const model = new FileTreeModel();
  let canWrite = false;
  let treeSync: TreeSync | null = null;

  const liveState = h('div', { class: 'tree-live', 'data-testid': 'tree-live', 'data-state': 'connecting', hidden: true });
  const actions = new FileActions(files, model, {
    // What was typed in the last moment before a move would be lost with the old document.
    // Runs inside the move's turn (see moveWithConfirm), so it flushes directly.
    beforeMove: () => options.flushBeforeMove(),
    changed: () => treeView.render(),
  });
  const treeView = createFileTreeView({
    model,
    readOnly: true,
    onOpen: (path) => void openFiles.open(path),
    onAction: (action, path) => void treeAction(action, path),
    onDrop: (from, dir) => void dropMove(from, dir),
  });
  const toolButton = (testId: string, label: string, glyph: string, onclick: () => void) =>
    h('button', { type: 'button', class: 'tool-button', 'data-testid': testId, title: label, 'aria-label': label, onclick }, icon(glyph));
  const newFileButton = toolButton('tree-new-file', 'New File…', 'new-file', () => void treeAction('new-file', targetDir()));
  const newFolderButton = toolButton('tree-new-folder', 'New Folder…', 'new-folder', () => void treeAction('new-folder', targetDir()));
  const el = h('aside', { class: 'ide-side', 'aria-label': 'Explorer' },
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

  function followMove(from: string, to: string): void {
    treeView.moved(from, to);
    openFiles.followMove(from, to);
  }

  function onStreamEvent(event: FileChangeEvent): void {
    if (event.type === 'moved' && event.from !== undefined) followMove(event.from, event.path);
    else if (event.type === 'deleted') openFiles.followDelete(event.path);
  }

  function showLiveState(state: LiveState, error?: unknown): void {
    if (state === 'stopped') options.onLiveStopped?.(error);
    liveState.dataset.state = state;
    liveState.hidden = state === 'live' || state === 'connecting';
    liveState.textContent = state === 'reconnecting'
      ? 'Live updates interrupted; reconnecting…'
      : `Live updates stopped${error ? `: ${errorMessage(error)}` : ''}.`;
  }

  function targetDir(): string {
    const selected = treeView.selected();
    if (selected === null) return '';
    return model.get(selected)?.type === 'directory' ? selected : parentOf(selected);
  }

  async function treeAction(action: TreeAction, path: string): Promise<void> {
    if (!canWrite) return;
    switch (action) {
      case 'new-file':
        await promptDialog('New file', {
          label: path ? `Name (in ${path}/)` : 'Name', okLabel: 'Create',
          submit: async (name) => {
            const created = await actions.createFile(path, name);
            void openFiles.open(created);
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
            openFiles.followDelete(path);
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
    if (!canWrite) return;
    try {
      await moveWithConfirm(from, moveTarget(from, dir));
    } catch (err) {
      notify(`Could not move ${from}: ${errorMessage(err)}`, 'error');
    }
  }

  return {
    el,
    start(writable) {
      canWrite = writable;
      newFileButton.hidden = newFolderButton.hidden = !canWrite;
      treeSync = startTreeSync({
        files,
        model,
        watch: options.watch,
        onChange: () => treeView.render(),
        onEvent: onStreamEvent,
        onLiveState: showLiveState,
      });
      treeView.setReadOnly(!canWrite);
      treeSync.ready.then(() => treeView.render(), (err: unknown) => {
        if (!options.signal.aborted) notify(`Could not load the files: ${errorMessage(err)}`, 'error');
      });
    },
    reveal: (path) => treeView.reveal(path),
    moved: (from, to) => treeView.moved(from, to),
    dispose: () => treeSync?.dispose(),
  };
}
