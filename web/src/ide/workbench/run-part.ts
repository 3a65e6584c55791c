// The Run button and the output panel: a run gets the latest edits into the file first, then
// streams the program's output into the panel (../run). The panel (xterm.js) is a chunk of its
// own, fetched as the screen opens: the tree, the tabs and the editor do not wait for it.
import { errorMessage } from '../../api';
import { h } from '../../dom';
import type { OutputPanel } from '../run/output-panel';
import { Runner } from '../run/runner';
import type { ActiveFile, FlushFiles, Notify } from './contracts';

/**
 * Ctrl+Enter reaches both the editor and the document: presses closer than this are one, unless
 * the run the first started has ended already (a short program, run again at once).
 */
const DOUBLE_PRESS_MS = 300;
const IDLE_TITLE = 'Run the active file (Ctrl+Enter)';

export interface RunPartOptions {
  file: ActiveFile;
  flush: FlushFiles;
  /** The exec socket's URL (ApiClient.socketUrl of /ws/exec/{workspaceId}). */
  socketUrl: () => Promise<string>;
  notify: Notify;
  /** Aborted when the screen goes. */
  signal: AbortSignal;
  /** Loads the output panel (tests pass a fake). */
  loadPanel?: () => Promise<typeof import('../run/output-panel')>;
}

export interface RunPart {
  readonly button: HTMLButtonElement;
  /** Where the output panel goes. */
  readonly panelHost: HTMLElement;
  /** Runs the active file (or says to open one). */
  runActive(): void;
  /** Starts loading the output panel. */
  preload(): void;
  /** The panel's size changed. */
  fit(): void;
  dispose(): void;
}

export function createRunPart(options: RunPartOptions): RunPart {
  const { file, signal } = options;
  let panel: OutputPanel | null = null;
  let panelLoading: Promise<OutputPanel> | null = null;
  let lastRunAt = 0;
  let lastRunEnded = true;

  const button = h('button', {
    type: 'button', class: 'btn btn-run', 'data-testid': 'run-button', disabled: true, title: IDLE_TITLE,
    onclick: () => runActive(),
  }, h('span', { class: 'run-icon', 'aria-hidden': 'true' }, '▶'), ' Run');
  const panelHost = h('div', { class: 'output-host' });

  const runner = new Runner({
    // Runs start only once the panel is there (runActive waits for loadPanel).
    panel: () => panel!,
    flush: () => options.flush(5000),
    socketUrl: options.socketUrl,
    onBusy: (busy) => {
      if (!busy) lastRunEnded = true;
      button.classList.toggle('busy', busy);
      button.title = busy ? 'Run again (stops the running program)' : IDLE_TITLE;
    },
  });
  const stopFollowing = file.onActiveChanged((active) => (button.disabled = active === null));

  function loadPanel(): Promise<OutputPanel> {
    panelLoading ??= (options.loadPanel ?? (() => import('../run/output-panel')))().then(({ createOutputPanel }) => {
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

  function runActive(): void {
    const path = file.active;
    if (!path) {
      void loadPanel().then((p) => p.note('Open a file to run it.', 'warn'));
      return;
    }
    if (Date.now() - lastRunAt < DOUBLE_PRESS_MS && !lastRunEnded) return;
    lastRunAt = Date.now();
    lastRunEnded = false;
    void loadPanel().then(() => {
      if (!signal.aborted) return runner.run(path);
    }, (err: unknown) => options.notify(`The output panel failed to load: ${errorMessage(err)}`, 'error'));
  }

  return {
    button,
    panelHost,
    runActive,
    preload: () => void loadPanel().catch(() => undefined),
    fit: () => panel?.fit(),
    dispose() {
      stopFollowing();
      runner.dispose();
      panel?.dispose();
    },
  };
}
