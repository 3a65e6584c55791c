// One interactive run over the execution service's socket (docs/api.md §5, `/ws/exec/{workspaceId}`).
// Each run gets its own socket: closing it is the surest way to end the run (the server kills
// what the socket started), and nothing from a previous run can leak into the next one's output.

/** The part of the browser's WebSocket this client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type RunStatus =
  | 'ok' | 'runtime_error' | 'compile_error' | 'timeout' | 'memory_limit' | 'output_limit' | 'killed' | 'internal_error';

export interface RunStarted {
  runId: string;
  language: string;
  version: string;
}

export interface RunExited {
  runId?: string;
  status: RunStatus | string;
  exitCode: number | null;
  wallTimeMs: number;
  cpuTimeMs: number;
  peakMemoryBytes?: number;
  outputTruncated?: boolean;
}

/** How a run ended when it never got to `exited`. */
export interface RunFailure {
  /** The server's error code (`rate_limited`, `not_found`, …) or `connection` when the socket failed. */
  code: string;
  message: string;
}

export interface RunHandlers {
  onStarted?(started: RunStarted): void;
  onOutput?(stream: 'stdout' | 'stderr', data: string): void;
  onExited?(exited: RunExited): void;
  /** The run was refused or lost; it is over. */
  onFailed?(failure: RunFailure): void;
  /** An error frame that did not end the run (`no_run` after a race, `invalid_message`, …). */
  onNotice?(failure: RunFailure): void;
}

export interface RunRequest {
  entry: string;
  language?: string;
  args?: string[];
  stdin?: string;
}

export type RunPhase = 'connecting' | 'starting' | 'running' | 'exited' | 'failed' | 'disposed';

const OPEN = 1;

export class ExecRun {
  private phaseValue: RunPhase = 'connecting';
  private socket: SocketLike | null = null;
  /** Input typed before the socket opened; sent right after the `run` message, in order. */
  private readonly queued: string[] = [];

  constructor(private readonly handlers: RunHandlers) {}

  get phase(): RunPhase {
    return this.phaseValue;
  }

  /** True until the run has exited, failed or been disposed. */
  get active(): boolean {
    return this.phaseValue === 'connecting' || this.phaseValue === 'starting' || this.phaseValue === 'running';
  }

  /**
   * Opens the socket (`url` is a promise so the caller's token refresh happens inside the run's
   * life: a run disposed meanwhile never opens one) and sends the `run` message.
   */
  start(url: Promise<string>, request: RunRequest, createSocket: SocketFactory): void {
    url.then(
      (resolved) => {
        if (this.phaseValue !== 'connecting') return;
        let socket: SocketLike;
        try {
          socket = createSocket(resolved);
        } catch (err) {
          this.fail({ code: 'connection', message: `Could not open the run's connection: ${String(err)}` });
          return;
        }
        this.socket = socket;
        socket.onopen = () => {
          if (this.phaseValue !== 'connecting') return;
          this.phaseValue = 'starting';
          socket.send(JSON.stringify({ type: 'run', ...request }));
          for (const message of this.queued.splice(0)) socket.send(message);
        };
        socket.onmessage = (event) => this.receive(event.data);
        socket.onerror = () => {
          /* the close that follows says what happened */
        };
        socket.onclose = (event) => {
          if (!this.active) return;
          this.fail({
            code: 'connection',
            message: event.code === 1009 ? 'The run\'s connection was closed: a message was too large.' : 'The connection to the run was lost.',
          });
        };
      },
      (err: unknown) => this.fail({ code: 'connection', message: err instanceof Error ? err.message : String(err) }),
    );
  }

  /** Sends text to the program's stdin. */
  stdin(data: string): void {
    this.sendWhileActive({ type: 'stdin', data });
  }

  /** Ends the program's stdin (EOF). */
  closeStdin(): void {
    this.sendWhileActive({ type: 'closeStdin' });
  }

  /** Asks the server to kill the run; its `exited` (status `killed`) follows. */
  kill(): void {
    if (this.phaseValue === 'connecting' && !this.socket) {
      // Nothing reached the server yet: there is nothing to kill but the attempt.
      this.fail({ code: 'killed', message: 'Stopped before the run started.' });
      return;
    }
    this.sendWhileActive({ type: 'kill' });
  }

  /** Drops the run without waiting: closing the socket kills it on the server. */
  dispose(): void {
    if (this.phaseValue === 'disposed') return;
    this.phaseValue = 'disposed';
    this.queued.length = 0;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, 'run dismissed');
      } catch {
        /* already closed */
      }
    }
  }

  private sendWhileActive(message: Record<string, unknown>): void {
    if (!this.active) return;
    const text = JSON.stringify(message);
    if (this.socket && this.socket.readyState === OPEN && this.phaseValue !== 'connecting') this.socket.send(text);
    else this.queued.push(text);
  }

  private receive(data: unknown): void {
    if (!this.active || typeof data !== 'string') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (message.type) {
      case 'started':
        this.phaseValue = 'running';
        this.handlers.onStarted?.({
          runId: String(message.runId ?? ''), language: String(message.language ?? ''), version: String(message.version ?? ''),
        });
        break;
      case 'stdout':
      case 'stderr':
        if (typeof message.data === 'string') this.handlers.onOutput?.(message.type, message.data);
        break;
      case 'exited': {
        this.phaseValue = 'exited';
        const exited: RunExited = {
          status: String(message.status ?? 'internal_error'),
          exitCode: typeof message.exitCode === 'number' ? message.exitCode : null,
          wallTimeMs: num(message.wallTimeMs),
          cpuTimeMs: num(message.cpuTimeMs),
        };
        if (typeof message.runId === 'string') exited.runId = message.runId;
        if (typeof message.peakMemoryBytes === 'number') exited.peakMemoryBytes = message.peakMemoryBytes;
        if (typeof message.outputTruncated === 'boolean') exited.outputTruncated = message.outputTruncated;
        this.handlers.onExited?.(exited);
        this.closeSocket();
        break;
      }
      case 'error': {
        const failure = { code: String(message.code ?? 'error'), message: String(message.message ?? '') };
        // Before `started`, an error is the answer to `run`: the run was refused. Once running,
        // errors are about single messages (input that crossed the end, say) and the run goes on.
        if (this.phaseValue === 'starting') this.fail(failure);
        else this.handlers.onNotice?.(failure);
        break;
      }
    }
  }

  private fail(failure: RunFailure): void {
    if (!this.active) return;
    this.phaseValue = 'failed';
    this.handlers.onFailed?.(failure);
    this.closeSocket();
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(1000, 'run over');
    } catch {
      /* already closed */
    }
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** `[exited: ok, code 0, 0.42 s wall, 0.05 s CPU]` and the like. */
export function describeExit(exited: RunExited): string {
  const parts = [`exited: ${exited.status}`];
  if (exited.exitCode !== null) parts.push(`code ${exited.exitCode}`);
  parts.push(`${seconds(exited.wallTimeMs)} wall`, `${seconds(exited.cpuTimeMs)} CPU`);
  if (exited.peakMemoryBytes) parts.push(`${(exited.peakMemoryBytes / (1024 * 1024)).toFixed(1)} MiB peak`);
  if (exited.outputTruncated) parts.push('output truncated');
  return `[${parts.join(', ')}]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Short human words for the status chip. */
export const STATUS_LABELS: Record<string, string> = {
  ok: 'Exited OK',
  runtime_error: 'Runtime error',
  compile_error: 'Compile error',
  timeout: 'Timed out',
  memory_limit: 'Out of memory',
  output_limit: 'Output limit',
  killed: 'Stopped',
  internal_error: 'Internal error',
};
