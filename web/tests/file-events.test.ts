// @vitest-environment node
// The reader over a fake fetch whose bodies the test writes to chunk by chunk.
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiError, TokenStore, watchFileEvents, type FetchLike, type FileChangeEvent } from '../src/api';
import { MemoryStorage, flush, problem } from './helpers';

interface Connection {
  headers: Record<string, string>;
  url: string;
  send(text: string): void;
  end(): void;
  fail(): void;
}

/**
 * Each request is answered by the next script entry: a Response (an error answer) or
 * 'stream' (a 200 event stream the test drives through `connections`). Like a real
 * fetch, aborting the request's signal errors its body.
 */
function fakeServer(script: Array<'stream' | (() => Response)>) {
  const connections: Connection[] = [];
  let requests = 0;
  const fetch: FetchLike = async (url, init = {}) => {
    requests++;
    const next = script.shift();
    if (!next) throw new Error(`unexpected request #${requests}`);
    if (next !== 'stream') return next();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
    const enc = new TextEncoder();
    init.signal?.addEventListener('abort', () => ctrl.error(new DOMException('aborted', 'AbortError')));
    connections.push({
      headers,
      url,
      send: (text) => ctrl.enqueue(enc.encode(text)),
      end: () => ctrl.close(),
      fail: () => ctrl.error(new TypeError('network error')),
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
  const tokens = new TokenStore(new MemoryStorage());
  tokens.setFromPair({ accessToken: 'tok', tokenType: 'Bearer', expiresIn: 900 });
  const client = new ApiClient({ fetch, tokens, lock: (_n, fn) => fn() });
  return { client, connections, requests: () => requests };
}

function recorder() {
  const events: FileChangeEvent[] = [];
  const resets: number[] = [];
  const errors: Array<{ error: unknown; retryInMs: number | null }> = [];
  let opens = 0;
  return {
    events,
    resets,
    errors,
    opens: () => opens,
    handlers: {
      onEvent: (e: FileChangeEvent) => void events.push(e),
      onReset: (n: number) => void resets.push(n),
      onOpen: () => void opens++,
      onError: (error: unknown, retryInMs: number | null) => void errors.push({ error, retryInMs }),
    },
  };
}

const change = (sequence: number, path: string, type = 'created') =>
  `id: ${sequence}\ndata: ${JSON.stringify({ type, path, entryType: 'file', version: 1, size: 0, userId: 'u', sequence, at: '2026-01-01T00:00:00Z' })}\n\n`;

const sleeps: number[] = [];
const instantSleep = async (ms: number) => {
  sleeps.push(ms);
  // A retry loop gone wrong would otherwise spin without end.
  if (sleeps.length > 50) throw new Error('too many reconnections');
};

describe('watchFileEvents', () => {
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('delivers events and resets, then resumes with Last-Event-ID after the server ends the stream', async () => {
    sleeps.length = 0;
    const server = fakeServer(['stream', 'stream']);
    const rec = recorder();
    const watch = watchFileEvents(server.client, 'w 1', rec.handlers, { sleep: instantSleep, random: () => 1, idleTimeoutMs: 0 });
    await flush();
    const first = server.connections[0]!;
    expect(first.url).toBe('/api/workspaces/w%201/events');
    expect(first.headers['accept']).toBe('text/event-stream');
    expect(first.headers['authorization']).toBe('Bearer tok');
    expect(first.headers['last-event-id']).toBeUndefined();

    const text = 'retry: 2000\n: connected\n\n' + change(1, 'a.txt') + ': heartbeat\n\ndata: not json\n\n' + change(2, 'b.txt') +
      'id: 7\nevent: reset\ndata: {"latestSequence":7}\n\n';
    // Cut in awkward places: inside a field name, inside the JSON, between CR-free line ends.
    for (const piece of [text.slice(0, 5), text.slice(5, 40), text.slice(40, 41), text.slice(41)]) first.send(piece);
    await flush();
    expect(rec.events.map((e) => [e.sequence, e.path])).toEqual([[1, 'a.txt'], [2, 'b.txt']]);
    expect(rec.resets).toEqual([7]);
    expect(watch.lastEventId).toBe('7');

    first.end();
    await flush();
    expect(server.connections).toHaveLength(2);
    expect(server.connections[1]!.headers['last-event-id']).toBe('7');
    // The server's retry: 2000 is the base delay, and the connection had opened.
    expect(sleeps).toEqual([2000]);
    expect(rec.opens()).toBe(2);

    watch.close();
    await watch.done;
    expect(server.requests()).toBe(2);
  });

  it('starts from a given id and reconnects after a network drop', async () => {
    sleeps.length = 0;
    const server = fakeServer(['stream', 'stream']);
    const rec = recorder();
    const watch = watchFileEvents(server.client, 'w', rec.handlers, { lastEventId: '41', sleep: instantSleep, random: () => 1, idleTimeoutMs: 0 });
    await flush();
    expect(server.connections[0]!.headers['last-event-id']).toBe('41');
    server.connections[0]!.send(change(42, 'x'));
    server.connections[0]!.send(change(43, 'y').slice(0, 10)); // half an event, then the drop
    await flush();
    server.connections[0]!.fail();
    await flush();
    expect(rec.events.map((e) => e.sequence)).toEqual([42]);
    expect(server.connections[1]!.headers['last-event-id']).toBe('42');
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0]!.retryInMs).toBe(1000);
    watch.close();
    await watch.done;
  });

  it('backs off exponentially while the server is unavailable, honouring Retry-After', async () => {
    sleeps.length = 0;
    const server = fakeServer([
      () => problem(503, 'Service unavailable'),
      () => problem(503, 'Service unavailable'),
      () => problem(503, 'Service unavailable', undefined, {}, { 'Retry-After': '9' }),
      () => problem(502, 'Bad gateway'),
      'stream',
    ]);
    const rec = recorder();
    const watch = watchFileEvents(server.client, 'w', rec.handlers, { sleep: instantSleep, random: () => 1, idleTimeoutMs: 0, maxDelayMs: 5000 });
    await flush(30);
    expect(sleeps).toEqual([1000, 2000, 9000, 5000]);
    expect(rec.errors.every((e) => e.error instanceof ApiError)).toBe(true);
    expect(rec.opens()).toBe(1);
    watch.close();
    await watch.done;
  });

  it('jitters the delay downwards by at most half', async () => {
    sleeps.length = 0;
    const server = fakeServer([() => problem(503, 'Service unavailable'), 'stream']);
    const watch = watchFileEvents(server.client, 'w', recorder().handlers, { sleep: instantSleep, random: () => 0, idleTimeoutMs: 0 });
    await flush();
    expect(sleeps).toEqual([500]);
    watch.close();
    await watch.done;
  });

  it('gives up on 404 (no access) and 401 (session over) without retrying', async () => {
    for (const status of [404, 401]) {
      sleeps.length = 0;
      // 401: the client refreshes once, the refresh is refused too.
      const server = fakeServer(status === 401 ? [() => problem(401, 'No'), () => problem(401, 'No')] : [() => problem(status, 'No')]);
      const rec = recorder();
      const watch = watchFileEvents(server.client, 'w', rec.handlers, { sleep: instantSleep, idleTimeoutMs: 0 });
      await watch.done;
      expect(server.requests()).toBe(status === 401 ? 2 : 1);
      expect(rec.errors).toHaveLength(1);
      expect(rec.errors[0]!.retryInMs).toBeNull();
      expect((rec.errors[0]!.error as ApiError).status).toBe(status);
    }
  });

  it('stops on abort while reading, without reconnecting', async () => {
    const server = fakeServer(['stream']);
    const rec = recorder();
    const abort = new AbortController();
    const watch = watchFileEvents(server.client, 'w', rec.handlers, { signal: abort.signal, sleep: instantSleep, idleTimeoutMs: 0 });
    await flush();
    abort.abort();
    await watch.done;
    expect(server.requests()).toBe(1);
    expect(rec.errors).toEqual([]);
  });

  it('reconnects when the stream goes silent for longer than the idle timeout', async () => {
    const server = fakeServer(['stream', 'stream', 'stream', 'stream']);
    const rec = recorder();
    const watch = watchFileEvents(server.client, 'w', rec.handlers, { sleep: instantSleep, idleTimeoutMs: 30 });
    await flush();
    server.connections[0]!.send(change(1, 'a'));
    for (let i = 0; i < 100 && server.connections.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    watch.close();
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
    expect(server.connections[1]!.headers['last-event-id']).toBe('1');
    expect(String((rec.errors[0]!.error as Error).message)).toMatch(/silent/);
    await watch.done;
  });

  it('keeps streaming when a handler throws', async () => {
    const server = fakeServer(['stream']);
    const seen: number[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      const watch = watchFileEvents(server.client, 'w', {
        onEvent: (e) => {
          seen.push(e.sequence);
          if (e.sequence === 1) throw new Error('bug');
        },
        onReset: () => undefined,
      }, { sleep: instantSleep, idleTimeoutMs: 0 });
      await flush();
      server.connections[0]!.send(change(1, 'a') + change(2, 'b'));
      await flush();
      expect(seen).toEqual([1, 2]);
      expect(server.requests()).toBe(1);
      watch.close();
      await watch.done;
    } finally {
      console.error = original;
    }
  });
});
