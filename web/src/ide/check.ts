// Error markers from the execution service's `check` (docs/api.md §5) after a pause in typing. The
// check reads the file, not the editor, so each one first waits for the editing core to get the
// edits into the file. Answers that a newer edit has overtaken are dropped: markers for text that
// is no longer there would point at the wrong places.
import type { ApiClient } from '../api';
import type { Diagnostic } from './editor-area';

export type CheckFn = (path: string, signal: AbortSignal) => Promise<readonly Diagnostic[]>;

/** POST /api/workspaces/{id}/check {path} → diagnostics. */
export function checkOverHttp(client: ApiClient, workspaceId: string): CheckFn {
  return async (path, signal) => {
    const res = await client.json<{ diagnostics?: Diagnostic[] }>(`/api/workspaces/${encodeURIComponent(workspaceId)}/check`, {
      method: 'POST', json: { path }, signal,
    });
    return Array.isArray(res?.diagnostics) ? res.diagnostics : [];
  };
}

export interface CheckSchedulerOptions {
  check: CheckFn;
  /** Gets what was typed into the files (EditorArea.flushToFiles). */
  flush: () => Promise<void>;
  /** Shows the markers (EditorArea.setDiagnostics). */
  apply: (path: string, diagnostics: readonly Diagnostic[]) => void;
  /** Pause after the last keystroke before checking. */
  delayMs?: number;
  /** Whether the platform can check `path` (LanguageCatalog.isCheckable). */
  isCheckable: (path: string) => boolean;
  /** Told when a check could not be done (offline, rate limited); the markers stay as they were. */
  onError?: (path: string, error: unknown) => void;
}

interface PathState {
  /** Bumped by every edit and every check started: an answer carrying an older number is stale. */
  generation: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  inFlight: AbortController | undefined;
  /** The generation whose markers are shown, if any. */
  shown: number | undefined;
}

export class CheckScheduler {
  private readonly states = new Map<string, PathState>();
  private readonly delayMs: number;
  private readonly checkable: (path: string) => boolean;
  private disposed = false;

  constructor(private readonly options: CheckSchedulerOptions) {
    this.delayMs = options.delayMs ?? 800;
    this.checkable = options.isCheckable;
  }

  /** EditorArea.onDidChangeText: local edits schedule a check; remote ones are the typist's to check. */
  textChanged(path: string, local: boolean): void {
    if (!local || this.disposed || !this.checkable(path)) return;
    const state = this.state(path);
    state.generation++;
    // The answer on its way is for older text: stop waiting for it.
    state.inFlight?.abort();
    state.inFlight = undefined;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void this.run(path), this.delayMs);
  }

  /**
   * Checks now (a file was opened or shown again). Skipped when the markers shown are for the
   * latest local edit: a check is a sandbox run, and counts against the user's concurrent runs.
   */
  checkNow(path: string): Promise<void> {
    if (this.disposed || !this.checkable(path)) return Promise.resolve();
    const state = this.state(path);
    if (state.shown === state.generation && state.timer === undefined && state.inFlight === undefined) return Promise.resolve();
    clearTimeout(state.timer);
    return this.run(path);
  }

  /** The file is gone or closed: forget it and ignore any answer still coming. */
  forget(path: string): void {
    const state = this.states.get(path);
    if (!state) return;
    clearTimeout(state.timer);
    state.inFlight?.abort();
    this.states.delete(path);
  }

  dispose(): void {
    this.disposed = true;
    for (const path of [...this.states.keys()]) this.forget(path);
  }

  private state(path: string): PathState {
    let state = this.states.get(path);
    if (!state) {
      state = { generation: 0, timer: undefined, inFlight: undefined, shown: undefined };
      this.states.set(path, state);
    }
    return state;
  }

  private async run(path: string): Promise<void> {
    const state = this.state(path);
    state.timer = undefined;
    const generation = ++state.generation;
    state.inFlight?.abort();
    const controller = new AbortController();
    state.inFlight = controller;
    const current = () => !this.disposed && this.states.get(path) === state && state.generation === generation;
    try {
      await this.options.flush();
      if (!current()) return;
      const diagnostics = await this.options.check(path, controller.signal);
      if (!current()) return;
      this.options.apply(path, diagnostics);
      state.shown = generation;
    } catch (err) {
      if (current() && !controller.signal.aborted) this.options.onError?.(path, err);
    } finally {
      if (state.inFlight === controller) state.inFlight = undefined;
    }
  }
}
