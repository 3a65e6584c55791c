// Follows GET /api/workspaces/{id}/events (server-sent events) over fetch, since
// EventSource cannot send the bearer token. Going through ApiClient.request gives the
// connection the same token refresh as every other call. After a drop it reconnects
// with Last-Event-ID, so the server replays exactly what was missed.
import type { ApiClient } from './client';
import { ApiError } from './errors';
import type { EntryType } from './files';
import { SseParser } from './sse';

export type FileChangeType = 'created' | 'changed' | 'deleted' | 'moved';

export interface FileChangeEvent {
  type: FileChangeType;
  path: string;
  /** Moves only: where the entry was. */
  from?: string;
  entryType: EntryType;
  version?: number | null;
  size?: number | null;
  userId: string;
  sequence: number;
  at: string;
}

export interface FileEventsHandlers {
  onEvent(event: FileChangeEvent): void;
  /** The missed part of the log is gone: reload the tree, then carry on from here. */
  onReset(latestSequence: number): void;
  /** Each time a connection is (re)established. */
  onOpen?(): void;
  /**
   * A connection failed or dropped. `retryInMs` is when the next attempt starts, or
   * null when watching has stopped for good (no access any more, session over).
   */
  onError?(error: unknown, retryInMs: number | null): void;
}

export interface FileEventsOptions {
  /** Resume after this event (a sequence number); omitted = from now on. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** First reconnection delay when the server gave none with `retry:`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The server sends a heartbeat every 15 s; a connection silent for longer than this
   * is presumed dead (a proxy or a sleeping laptop can leave it hanging). 0 disables.
   */
  idleTimeoutMs?: number;
  /** Injected by tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface FileEventsWatch {
  /** The id to resume from (the last sequence delivered), if any. */
  readonly lastEventId: string | undefined;
  /** Resolves once watching has stopped (closed, aborted, or given up). */
  readonly done: Promise<void>;
  close(): void;
}

export function watchFileEvents(
  client: ApiClient,
  workspaceId: string,
  handlers: FileEventsHandlers,
  options: FileEventsOptions = {},
): FileEventsWatch {
  const stop = new AbortController();
  const signal = stop.signal;
  if (options.signal) {
    if (options.signal.aborted) stop.abort();
    else options.signal.addEventListener('abort', () => stop.abort(), { once: true });
  }
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const idleTimeout = options.idleTimeoutMs ?? 45_000;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const url = `/api/workspaces/${encodeURIComponent(workspaceId)}/events`;

  let lastEventId = options.lastEventId;
  let serverRetry: number | undefined;
  let opened = false;

  /** One connection; resolves when the server ends the stream, rejects on failure. */
  async function connect(): Promise<void> {
    const connection = new AbortController();
    const onStop = () => connection.abort();
    signal.addEventListener('abort', onStop, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      if (idleTimeout <= 0) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => connection.abort(), idleTimeout);
    };
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
      touch();
      const res = await client.request(url, { headers, signal: connection.signal });
      if (!res.body) throw new Error('The event stream has no body.');
      opened = true;
      handlers.onOpen?.();
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          touch();
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            if (message.id !== '') lastEventId = message.id;
            deliver(message.event, message.data);
          }
          if (parser.retry !== undefined) serverRetry = parser.retry;
        }
      } finally {
        parser.end();
        reader.cancel().catch(() => undefined);
      }
    } catch (err) {
      if (connection.signal.aborted && !signal.aborted) throw new Error('The event stream went silent.', { cause: err });
      throw err;
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onStop);
    }
  }

  function deliver(event: string, data: string): void {
    // A handler's bug must not tear down the stream (it would replay the same event
    // forever), so it is reported and the stream goes on.
    try {
      if (event === 'reset') {
        const parsed = parseJson(data) as { latestSequence?: unknown } | undefined;
        if (typeof parsed?.latestSequence === 'number') handlers.onReset(parsed.latestSequence);
      } else if (event === 'message') {
        const parsed = parseJson(data);
        // Unknown shapes are skipped rather than fatal: a newer server may add kinds.
        if (isFileChangeEvent(parsed)) handlers.onEvent(parsed);
      }
    } catch (err) {
      console.error('file event handler failed', err);
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let error: unknown = new Error('The event stream ended.');
      opened = false;
      try {
        await connect();
      } catch (err) {
        error = err;
      }
      if (signal.aborted) return;
      // The server took us in: whatever went wrong after that starts the backoff over.
      if (opened) failures = 0;
      else if (!isRetryable(error)) {
        handlers.onError?.(error, null);
        return;
      }
      failures++;
      const delay = backoff(failures, error);
      handlers.onError?.(error, delay);
      await sleep(delay, signal);
    }
  }

  function backoff(failures: number, error: unknown): number {
    const base = serverRetry ?? initialDelay;
    const exp = Math.min(maxDelay, base * 2 ** (failures - 1));
    // Jitter keeps a room full of IDEs from reconnecting in lockstep after a restart.
    let delay = Math.round(exp * (0.5 + random() * 0.5));
    if (error instanceof ApiError && error.retryAfter !== undefined) delay = Math.max(delay, error.retryAfter * 1000);
    return delay;
  }

  const done = run().finally(() => stop.abort());
  return {
    get lastEventId() {
      return lastEventId;
    },
    done,
    close: () => stop.abort(),
  };
}

/**
 * Network trouble and overload are worth waiting out; a refusal is not: 401 after the
 * client's own refresh means the session is over, 403/404 that access is gone.
 */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true; // a dropped body read, a silent stream
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isFileChangeEvent(v: unknown): v is FileChangeEvent {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    (e.type === 'created' || e.type === 'changed' || e.type === 'deleted' || e.type === 'moved') &&
    typeof e.path === 'string' &&
    (e.entryType === 'file' || e.entryType === 'directory') &&
    typeof e.sequence === 'number' &&
    (e.type !== 'moved' || typeof e.from === 'string')
  );
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
