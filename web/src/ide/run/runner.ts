// What the Run button does: get the latest edits into the file, open a run socket, and show the
// run in the output panel until it exits. A new run replaces one still going (its socket closes,
// which kills it), the way an IDE's Run restarts.
import { errorMessage } from '../../api';
import { ExecRun, STATUS_LABELS, describeExit, type SocketFactory, type SocketLike } from './exec-client';
import type { OutputPanel } from './output-panel';

export interface RunnerOptions {
  panel: () => OutputPanel;
  /** EditorArea.flushToFiles. */
  flush: () => Promise<void>;
  /** The socket's URL (ApiClient.socketUrl of /ws/exec/{workspaceId}). */
  socketUrl: () => Promise<string>;
  createSocket?: SocketFactory;
  /** Running or not, for the Run button. */
  onBusy?(busy: boolean): void;
}

export class Runner {
  private current: ExecRun | null = null;
  private readonly createSocket: SocketFactory;

  constructor(private readonly options: RunnerOptions) {
    // The browser's WebSocket has the members SocketLike names; its handler types are only wider.
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  }

  get busy(): boolean {
    return this.current?.active ?? false;
  }

  async run(entry: string): Promise<void> {
    this.current?.dispose();
    const panel = this.options.panel();
    const run = new ExecRun({
      onStarted: (started) => {
        if (this.current !== run) return;
        // In the chip, not the transcript: input typed before `started` is already echoed there.
        const runtime = [started.language, started.version].filter(Boolean).join(' ');
        panel.setStatus('running', runtime ? `Running · ${runtime}` : 'Running…', 'info');
      },
      onOutput: (stream, data) => {
        if (this.current === run) panel.write(stream, data);
      },
      onExited: (exited) => {
        if (this.current !== run) return;
        const tone = exited.status === 'ok' ? 'ok' : exited.status === 'killed' ? 'warn' : 'error';
        panel.note(describeExit(exited), tone);
        const label = STATUS_LABELS[exited.status] ?? exited.status;
        panel.setStatus(exited.status, exited.exitCode !== null && exited.status !== 'ok' ? `${label} (${exited.exitCode})` : label, tone);
        this.finish(run);
      },
      onFailed: (failure) => {
        if (this.current !== run) return;
        panel.note(`[${failureText(failure.code, failure.message)}]`, failure.code === 'killed' ? 'warn' : 'error');
        panel.setStatus(failure.code === 'killed' ? 'killed' : 'error', failureLabel(failure.code), failure.code === 'killed' ? 'warn' : 'error');
        this.finish(run);
      },
      onNotice: (notice) => {
        if (this.current === run) panel.note(`[${notice.code}: ${notice.message}]`, 'warn');
      },
    });
    this.current = run;
    panel.begin(`▶ ${entry}`);
    panel.setStatus('starting', 'Starting…', 'info');
    panel.setLive(true);
    this.options.onBusy?.(true);
    try {
      // A run reads the file, which the editing core writes a moment after the keystrokes.
      await this.options.flush();
    } catch (err) {
      if (this.current !== run) return;
      panel.note(`[the latest edits may not be saved yet: ${errorMessage(err)}]`, 'warn');
    }
    if (this.current !== run || !run.active) return;
    run.start(this.options.socketUrl(), { entry }, this.createSocket);
  }

  stdin(data: string): void {
    this.current?.stdin(data);
  }

  closeStdin(): void {
    this.current?.closeStdin();
  }

  kill(): void {
    this.current?.kill();
  }

  dispose(): void {
    this.current?.dispose();
    this.current = null;
  }

  private finish(run: ExecRun): void {
    if (this.current !== run) return;
    this.options.panel().setLive(false);
    this.options.onBusy?.(false);
  }
}

function failureLabel(code: string): string {
  switch (code) {
    case 'rate_limited':
      return 'Too many runs';
    case 'connection':
      return 'Connection lost';
    case 'killed':
      return 'Stopped';
    case 'unavailable':
      return 'Service unavailable';
    case 'not_found':
      return 'Not found';
    default:
      return 'Could not run';
  }
}

function failureText(code: string, message: string): string {
  switch (code) {
    case 'rate_limited':
      return `too many runs at once — wait for one to finish and run again${message ? ` (${message})` : ''}`;
    case 'unavailable':
      return `the execution service is unavailable — try again shortly${message ? ` (${message})` : ''}`;
    default:
      return message ? `${code}: ${message}` : code;
  }
}
