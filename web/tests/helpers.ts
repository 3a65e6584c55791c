import type { FetchLike } from '../src/api';
import type { KeyValueStorage } from '../src/api';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Responder = (call: RecordedCall) => Response | Promise<Response>;

/**
 * A scripted fetch: each call is recorded and answered by the next responder in the
 * queue (or by `fallback`). Throws when the script runs out, so an unexpected extra
 * request (a retry loop, say) fails the test.
 */
export function scriptedFetch(responders: Responder[], fallback?: Responder) {
  const calls: RecordedCall[] = [];
  const queue = [...responders];
  const fetch: FetchLike = async (input, init = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k.toLowerCase()] = v));
    const call: RecordedCall = {
      url: input,
      method: (init.method ?? 'GET').toUpperCase(),
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    calls.push(call);
    const next = queue.shift() ?? fallback;
    if (!next) throw new Error(`unexpected request #${calls.length}: ${call.method} ${call.url}`);
    return next(call);
  };
  return { fetch, calls, remaining: () => queue.length };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

export function problem(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  const body: Record<string, unknown> = { type: 'about:blank', title, status, ...extra };
  if (detail !== undefined) body.detail = detail;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

export function empty(status = 204): Response {
  return new Response(null, { status });
}

export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

/** Lets pending promise callbacks run. */
export async function flush(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}
