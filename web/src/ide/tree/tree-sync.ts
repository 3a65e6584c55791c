// Keeps a FileTreeModel current: the event stream is opened first (the server pins its position
// before it answers), then the tree is loaded, then the events that arrived meanwhile are applied
// (the model's rules are idempotent, so those already in the tree change nothing).
import type { FileChangeEvent, FileEventsHandlers, FileEventsWatch, FilesApi } from '../../api';
import type { FileTreeModel } from '../file-tree-model';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface TreeSyncOptions {
  files: Pick<FilesApi, 'getTree'>;
  /** Starts watching the workspace's events (watchFileEvents bound to the workspace). */
  watch(handlers: FileEventsHandlers): FileEventsWatch;
  model: FileTreeModel;
  /** The tree changed (loaded, or an event applied). */
  onChange(): void;
  /** An event from the stream was applied (not stale): tabs follow moves and deletes from here. */
  onEvent?(event: FileChangeEvent): void;
  onLiveState?(state: LiveState, error?: unknown): void;
  /** How long the first load waits for the stream to open before loading anyway. */
  openTimeoutMs?: number;
}

export interface TreeSync {
  /** Resolves once the tree has been loaded the first time (rejects if that failed). */
  readonly ready: Promise<void>;
  /** Loads the tree again (a refresh button, or after the stream said its log is gone). */
  reload(): Promise<void>;
  dispose(): void;
}

export function startTreeSync(options: TreeSyncOptions): TreeSync {
  const { model } = options;
  let loading = 0;
  let disposed = false;
  const buffered: FileChangeEvent[] = [];
  let opened!: () => void;
  const openedOnce = new Promise<void>((resolve) => (opened = resolve));

  function deliver(event: FileChangeEvent): void {
    if (disposed) return;
    if (loading > 0) {
      buffered.push(event);
      return;
    }
    if (model.apply(event) === 'applied') {
      options.onEvent?.(event);
      options.onChange();
    }
  }

  async function load(sequence: number): Promise<void> {
    loading++;
    try {
      const entries = await options.files.getTree();
      if (disposed) return;
      model.reset(entries, sequence);
    } finally {
      loading--;
    }
    if (loading > 0) return;
    // Events that came while the tree was on its way; the model drops what it already has.
    for (const event of buffered.splice(0)) {
      if (model.apply(event) === 'applied') options.onEvent?.(event);
    }
    options.onChange();
  }

  options.onLiveState?.('connecting');
  const watch = options.watch({
    onEvent: deliver,
    onReset: (latest) => {
      // The stream's log no longer reaches back to where this client was: start from a fresh tree.
      void load(latest).catch(() => undefined);
    },
    onOpen: () => {
      opened();
      options.onLiveState?.('live');
    },
    onError: (error, retryInMs) => {
      if (retryInMs === null) opened();
      options.onLiveState?.(retryInMs === null ? 'stopped' : 'reconnecting', error);
    },
  });

  const ready = Promise.race([
    openedOnce,
    new Promise<void>((resolve) => setTimeout(resolve, options.openTimeoutMs ?? 3000)),
  ]).then(() => load(0));

  return {
    ready,
    reload: () => load(model.lastSequence),
    dispose() {
      disposed = true;
      watch.close();
    },
  };
}
