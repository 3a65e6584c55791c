// @vitest-environment node
// Pure module: runs on Node's own fetch classes (Response, Headers), no DOM.
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, AuthApi, TokenStore, WorkspacesApi, toApiError } from '../src/api';
import { MemoryStorage, empty, json, problem, scriptedFetch } from './helpers';

function signedInStore(access = 'access-1') {
  const store = new TokenStore(new MemoryStorage());
  store.setFromPair({ accessToken: access, tokenType: 'Bearer', expiresIn: 900 });
  return store;
}

/** A login or refresh answer to the web app: its refresh token went into the cookie. */
const pair = (n: number) => ({ accessToken: `access-${n}`, tokenType: 'Bearer', expiresIn: 900 });
const noLock = <T,>(_: string, fn: () => Promise<T>) => fn();

/** Awaits a promise that must reject with an ApiError, and returns that error. */
async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ApiError);
  return outcome.error as ApiError;
}

describe('ApiClient: headers', () => {
  it('sends the bearer token of the stored pair', async () => {
    const f = scriptedFetch([() => json(200, [])]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore('tok-A'), lock: noLock });
    await client.json('/api/workspaces');
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.headers['authorization']).toBe('Bearer tok-A');
  });

  it('sends no Authorization header when signed out or when auth is off', async () => {
    const f = scriptedFetch([() => json(200, {}), () => json(200, {})]);
    const client = new ApiClient({ fetch: f.fetch, tokens: new TokenStore(new MemoryStorage()), lock: noLock });
    await client.json('/api/a');
    const signedIn = new ApiClient({ fetch: f.fetch, tokens: signedInStore(), lock: noLock });
    await signedIn.json('/api/b', { auth: false });
    expect(f.calls[0]!.headers['authorization']).toBeUndefined();
    expect(f.calls[1]!.headers['authorization']).toBeUndefined();
  });

  it('serialises json bodies with a content type', async () => {
    const f = scriptedFetch([() => json(201, { id: 'w1', name: 'demo', role: 'owner' })]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore(), lock: noLock });
    const ws = await new WorkspacesApi(client).create('demo');
    expect(ws).toEqual({ id: 'w1', name: 'demo', role: 'owner' });
    expect(f.calls[0]!.method).toBe('POST');
    expect(f.calls[0]!.url).toBe('/api/workspaces');
    expect(f.calls[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(f.calls[0]!.body!)).toEqual({ name: 'demo' });
  });

  it('resolves undefined for 204 answers and escapes ids in paths', async () => {
    const f = scriptedFetch([() => empty(204)]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore(), lock: noLock });
    await expect(new WorkspacesApi(client).delete('a/b c')).resolves.toBeUndefined();
    expect(f.calls[0]!.method).toBe('DELETE');
    expect(f.calls[0]!.url).toBe('/api/workspaces/a%2Fb%20c');
  });
});

describe('ApiClient: problem+json errors', () => {
  it('parses status, title and detail', async () => {
    const f = scriptedFetch([() => problem(409, 'Conflict', 'Username "ann" is taken.')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: new TokenStore(new MemoryStorage()), lock: noLock });
    const err = await rejection(client.json('/api/auth/register', { method: 'POST', json: {}, auth: false }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.title).toBe('Conflict');
    expect(err.detail).toBe('Username "ann" is taken.');
    expect(err.userMessage).toBe('Username "ann" is taken.');
  });

  it('uses the title when there is no detail, and appends validation messages', async () => {
    const onlyTitle = await toApiError(problem(400, 'Invalid username'));
    expect(onlyTitle.detail).toBeUndefined();
    expect(onlyTitle.userMessage).toBe('Invalid username');

    const validation = await toApiError(
      problem(400, 'One or more validation errors occurred.', undefined, {
        errors: { password: ['Password must be at least 10 characters.'] },
      }),
    );
    expect(validation.errors).toEqual({ password: ['Password must be at least 10 characters.'] });
    expect(validation.userMessage).toBe('One or more validation errors occurred. Password must be at least 10 characters.');
  });

  it('falls back to the status for non-JSON bodies and reads Retry-After', async () => {
    const html = await toApiError(new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    expect(html).toMatchObject({ status: 502, title: 'Bad gateway', detail: undefined });

    const limited = await toApiError(problem(429, 'Too many attempts', 'Try again later.', {}, { 'Retry-After': '30' }));
    expect(limited.retryAfter).toBe(30);
    expect(limited.status).toBe(429);
  });

  it('maps a failed fetch to status 0', async () => {
    const client = new ApiClient({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      tokens: signedInStore(),
      lock: noLock,
    });
    const err = await rejection(client.json('/api/workspaces'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.title).toBe('Network error');
  });
});

describe('ApiClient: refresh on 401', () => {
  it('refreshes once with the cookie and the CSRF header, then retries with the new access token', async () => {
    const store = signedInStore('access-1');
    const f = scriptedFetch([
      () => problem(401, 'Unauthorized'),
      () => json(200, pair(2)),
      () => json(200, [{ id: 'w1', name: 'one', role: 'owner' }]),
    ]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock });
    const list = await client.json<unknown[]>('/api/workspaces');

    expect(list).toHaveLength(1);
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/workspaces',
      'POST /api/auth/refresh',
      'GET /api/workspaces',
    ]);
    expect(f.calls[0]!.headers['authorization']).toBe('Bearer access-1');
    // No refresh token in the body: the browser sends the HttpOnly cookie along.
    expect(f.calls[1]!.body).toBeUndefined();
    expect(f.calls[1]!.headers['x-webide-csrf']).toBe('1');
    expect(f.calls[1]!.headers['authorization']).toBeUndefined();
    expect(f.calls[2]!.headers['authorization']).toBe('Bearer access-2');
    expect(store.get()).toEqual({ accessToken: 'access-2', expiresAt: expect.any(Number) });
  });

  it('does not retry and ends the session when the refresh is refused', async () => {
    const store = signedInStore();
    const onSessionExpired = vi.fn();
    const f = scriptedFetch([() => problem(401, 'Unauthorized', 'Token expired'), () => problem(401, 'Unauthorized')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, onSessionExpired, lock: noLock });

    const err = await rejection(client.json('/api/workspaces'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.detail).toBe('Token expired');
    expect(f.calls).toHaveLength(2);
    expect(store.get()).toBeNull();
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('retries exactly once: a 401 on the retry does not trigger another refresh', async () => {
    const store = signedInStore();
    const onSessionExpired = vi.fn();
    const f = scriptedFetch([
      () => problem(401, 'Unauthorized'),
      () => json(200, pair(2)),
      () => problem(401, 'Unauthorized', 'Session revoked'),
    ]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, onSessionExpired, lock: noLock });

    const err = await rejection(client.json('/api/workspaces'));
    expect(err.status).toBe(401);
    expect(err.detail).toBe('Session revoked');
    expect(f.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    expect(f.calls).toHaveLength(3);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(store.get()).toBeNull();
  });

  it('shares one refresh between concurrent requests (a refresh token is single-use)', async () => {
    const store = signedInStore();
    let releaseRefresh!: () => void;
    const refreshGate = new Promise<void>((r) => (releaseRefresh = r));
    const f = scriptedFetch([], async (call) => {
      if (call.url === '/api/auth/refresh') {
        await refreshGate;
        return json(200, pair(2));
      }
      return call.headers['authorization'] === 'Bearer access-2' ? json(200, { ok: call.url }) : problem(401, 'Unauthorized');
    });
    const client = new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock });

    const a = client.json('/api/a');
    const b = client.json('/api/b');
    await new Promise((r) => setTimeout(r, 0));
    releaseRefresh();
    await expect(Promise.all([a, b])).resolves.toEqual([{ ok: '/api/a' }, { ok: '/api/b' }]);
    expect(f.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('skips the refresh when the tokens already changed since the request was sent', async () => {
    const store = signedInStore('access-1');
    const f = scriptedFetch([
      () => {
        // Another tab refreshed while this request was in flight.
        store.setFromPair(pair(7));
        return problem(401, 'Unauthorized');
      },
      () => json(200, { fine: true }),
    ]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock });
    await expect(client.json('/api/x')).resolves.toEqual({ fine: true });
    expect(f.calls.map((c) => c.url)).toEqual(['/api/x', '/api/x']);
    expect(f.calls[1]!.headers['authorization']).toBe('Bearer access-7');
  });

  it('keeps the session when the refresh endpoint is unavailable (503)', async () => {
    const store = signedInStore();
    const onSessionExpired = vi.fn();
    const f = scriptedFetch([
      () => problem(401, 'Unauthorized'),
      () => problem(503, 'Service unavailable', 'Identity is starting', {}, { 'Retry-After': '5' }),
    ]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, onSessionExpired, lock: noLock });
    const err = await rejection(client.json('/api/workspaces'));
    expect(err.status).toBe(503);
    expect(err.retryAfter).toBe(5);
    expect(f.calls).toHaveLength(2);
    expect(store.get()?.accessToken).toBe('access-1');
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('never refreshes for unauthenticated calls such as a failed login', async () => {
    const store = new TokenStore(new MemoryStorage());
    const f = scriptedFetch([() => problem(401, 'Invalid credentials', 'Wrong username or password.')]);
    const auth = new AuthApi(new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock }));
    const err = await rejection(auth.login('ann', 'wrong-password'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.userMessage).toBe('Wrong username or password.');
    expect(f.calls).toHaveLength(1);
    expect(store.get()).toBeNull();
  });

  it('runs the refresh inside the named lock', async () => {
    const lockNames: string[] = [];
    const lock = <T,>(name: string, fn: () => Promise<T>) => {
      lockNames.push(name);
      return fn();
    };
    const f = scriptedFetch([() => problem(401, 'Unauthorized'), () => json(200, pair(2)), () => json(200, {})]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore(), lock });
    await client.json('/api/x');
    expect(lockNames).toEqual(['webide-token-refresh']);
  });
});

describe('AuthApi', () => {
  it('login asks for the refresh token cookie and stores the access token; register sends displayName only when given', async () => {
    const storage = new MemoryStorage();
    const store = new TokenStore(storage);
    const f = scriptedFetch([
      () => json(201, { id: 'u1', username: 'ann', displayName: 'ann' }),
      () => json(201, { id: 'u2', username: 'bob', displayName: 'Bob B' }),
      () => json(200, pair(1)),
    ]);
    const auth = new AuthApi(new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock }));
    await auth.register('ann', 'long-enough-pw', '  ');
    await auth.register('bob', 'long-enough-pw', 'Bob B');
    await auth.login('bob', 'long-enough-pw');

    expect(JSON.parse(f.calls[0]!.body!)).toEqual({ username: 'ann', password: 'long-enough-pw' });
    expect(JSON.parse(f.calls[1]!.body!)).toEqual({ username: 'bob', password: 'long-enough-pw', displayName: 'Bob B' });
    expect(f.calls[2]!.url).toBe('/api/auth/login');
    expect(JSON.parse(f.calls[2]!.body!)).toEqual({ username: 'bob', password: 'long-enough-pw', refreshTokenCookie: true });
    expect(f.calls[2]!.headers['x-webide-csrf']).toBe('1');
    expect(f.calls[0]!.headers['x-webide-csrf']).toBeUndefined();
    expect(store.get()).toEqual({ accessToken: 'access-1', expiresAt: expect.any(Number) });
    expect(JSON.parse(storage.getItem('webide.auth')!)).toEqual({ accessToken: 'access-1', expiresAt: expect.any(Number) });
  });

  it('never stores a refresh token, even one a server put in the body', async () => {
    const storage = new MemoryStorage();
    const f = scriptedFetch([() => json(200, { ...pair(1), refreshToken: 'refresh-1' })]);
    await new AuthApi(new ApiClient({ fetch: f.fetch, tokens: new TokenStore(storage), lock: noLock })).login('bob', 'long-enough-pw');
    expect(storage.getItem('webide.auth')).not.toContain('refresh-1');
  });

  it('logout ends the session with the cookie and the CSRF header, and clears local tokens even when the server call fails', async () => {
    const store = signedInStore('access-9');
    const f = scriptedFetch([() => problem(503, 'Service unavailable')]);
    const auth = new AuthApi(new ApiClient({ fetch: f.fetch, tokens: store, lock: noLock }));
    await auth.logout();
    expect(store.get()).toBeNull();
    expect(f.calls[0]!.method).toBe('POST');
    expect(f.calls[0]!.url).toBe('/api/auth/logout');
    expect(f.calls[0]!.headers['x-webide-csrf']).toBe('1');
    // An expired bearer token would be refused before the cookie is read.
    expect(f.calls[0]!.headers['authorization']).toBeUndefined();
  });
});

describe('TokenStore', () => {
  it('computes expiresAt from expiresIn and survives a new instance on the same storage', () => {
    const storage = new MemoryStorage();
    const a = new TokenStore(storage, 'k', () => 1_000_000);
    a.setFromPair({ accessToken: 'x', tokenType: 'Bearer', expiresIn: 60 });
    const b = new TokenStore(storage, 'k');
    expect(b.get()).toEqual({ accessToken: 'x', expiresAt: 1_060_000 });
  });

  it('drops a token pair an earlier version kept here, refresh token and all', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', JSON.stringify({ accessToken: 'old-access', refreshToken: 'old-refresh', expiresAt: Date.now() + 60_000 }));
    const store = new TokenStore(storage, 'k');
    expect(store.get()).toBeNull();
    expect(storage.getItem('k')).toBeNull();
    expect(store.hasTokens()).toBe(false);
  });

  it('treats a corrupt entry as signed out', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(new TokenStore(storage, 'k').get()).toBeNull();
    storage.setItem('k', JSON.stringify({ expiresAt: 5 }));
    expect(new TokenStore(storage, 'k').hasTokens()).toBe(false);
  });
});

describe('ApiClient: socketUrl', () => {
  const ticket = (t: string) => json(200, { ticket: t, expiresIn: 30 });

  it('puts a fresh single-use ticket, never the access token, in the query of a ws:// URL on the same host', async () => {
    const f = scriptedFetch([() => ticket('ticket-1')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore('access-1'), baseUrl: 'http://gw.test:8080', lock: noLock });
    const url = new URL(await client.socketUrl('/ws/collab/w 1'));
    expect(url.protocol).toBe('ws:');
    expect(url.host).toBe('gw.test:8080');
    expect(url.pathname).toBe('/ws/collab/w%201');
    expect([...url.searchParams]).toEqual([['ticket', 'ticket-1']]);
    expect(url.toString()).not.toContain('access-1');
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST http://gw.test:8080/api/auth/ticket']);
    expect(f.calls[0]!.headers['authorization']).toBe('Bearer access-1');
  });

  it('asks for a new ticket for every socket', async () => {
    const f = scriptedFetch([() => ticket('ticket-1'), () => ticket('ticket-2')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore(), baseUrl: 'http://gw.test', lock: noLock });
    const first = new URL(await client.socketUrl('/ws/collab/w1'));
    const second = new URL(await client.socketUrl('/ws/collab/w1'));
    expect([first.searchParams.get('ticket'), second.searchParams.get('ticket')]).toEqual(['ticket-1', 'ticket-2']);
  });

  it('uses wss:// behind https', async () => {
    const f = scriptedFetch([() => ticket('t1')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: signedInStore('access-1'), baseUrl: 'https://ide.example', lock: noLock });
    expect(await client.socketUrl('/ws/exec/w1')).toBe('wss://ide.example/ws/exec/w1?ticket=t1');
  });

  it('refreshes an expired access token with the cookie before it gets the ticket', async () => {
    const store = signedInStore('access-1');
    const f = scriptedFetch([() => problem(401, 'Unauthorized'), () => json(200, pair(2)), () => ticket('ticket-2')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, baseUrl: 'http://gw.test', lock: noLock });

    const url = new URL(await client.socketUrl('/ws/collab/w1'));

    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST http://gw.test/api/auth/ticket',
      'POST http://gw.test/api/auth/refresh',
      'POST http://gw.test/api/auth/ticket',
    ]);
    expect(f.calls[2]!.headers['authorization']).toBe('Bearer access-2');
    expect(url.searchParams.get('ticket')).toBe('ticket-2');
  });

  it('rejects with the network error (and keeps the session) when the ticket cannot be had', async () => {
    const onSessionExpired = vi.fn();
    const client = new ApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')), tokens: signedInStore(), onSessionExpired, lock: noLock });
    const err = await rejection(client.socketUrl('/ws/collab/w1'));
    expect(err.status).toBe(0);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('rejects with 401 and ends the session when signed out', async () => {
    const onSessionExpired = vi.fn();
    const f = scriptedFetch([]);
    const client = new ApiClient({ fetch: f.fetch, tokens: new TokenStore(new MemoryStorage()), onSessionExpired, lock: noLock });
    const err = await rejection(client.socketUrl('/ws/collab/w1'));
    expect(err.status).toBe(401);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(f.calls).toHaveLength(0);
  });

  it('rejects with 401 and ends the session when the cookie is refused too', async () => {
    const onSessionExpired = vi.fn();
    const store = signedInStore();
    const f = scriptedFetch([() => problem(401, 'Unauthorized'), () => problem(401, 'Refresh failed')]);
    const client = new ApiClient({ fetch: f.fetch, tokens: store, onSessionExpired, lock: noLock });
    const err = await rejection(client.socketUrl('/ws/collab/w1'));
    expect(err.status).toBe(401);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(store.get()).toBeNull();
  });
});
