import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApp } from '../src/app';
import { TOKEN_STORAGE_KEY } from '../src/api';
import { empty, flush, json, problem, scriptedFetch, type RecordedCall } from './helpers';
import { LANGUAGES } from './languages-fixture';

type Handler = (call: RecordedCall) => Response | undefined;

/** A fake gateway: the first handler that answers wins; /health is always healthy; /api/languages lists the contract's nine. */
function fakeGateway(...handlers: Handler[]) {
  return scriptedFetch([], (call) => {
    for (const handle of handlers) {
      const res = handle(call);
      if (res) return res;
    }
    if (call.url === '/health') return json(200, { status: 'Healthy' });
    if (call.url === '/api/auth/me') return json(200, { id: 'u1', username: 'ann', displayName: 'Ann' });
    if (call.url === '/api/languages') return json(200, LANGUAGES);
    return problem(404, 'Not found', `no fake for ${call.method} ${call.url}`);
  });
}

function signIn(access = 'access-1') {
  localStorage.setItem(
    TOKEN_STORAGE_KEY,
    JSON.stringify({ accessToken: access, expiresAt: Date.now() + 900_000 }),
  );
}

const $ = <T extends Element = HTMLElement>(id: string) => document.querySelector<T & Element>(`[data-testid="${id}"]`);
const $$ = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

function type(id: string, value: string) {
  const input = $<HTMLInputElement>(id)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function submit(id: string) {
  const button = $<HTMLButtonElement>(id)!;
  button.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

let app: ReturnType<typeof startApp> | undefined;
let root: HTMLElement;

function start(fetch: ReturnType<typeof fakeGateway>['fetch'], path = '/') {
  window.history.replaceState(null, '', path);
  app = startApp(root, { fetch, healthIntervalMs: 60_000 });
}

beforeEach(() => {
  localStorage.clear();
  root = document.createElement('div');
  document.body.replaceChildren(root);
});

afterEach(() => {
  app?.dispose();
  app = undefined;
  localStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('sign-in', () => {
  it('shows the login screen at / without a token, and the problem detail of a failed login', async () => {
    const gw = fakeGateway((c) =>
      c.url === '/api/auth/login' ? problem(401, 'Unauthorized', 'Invalid username or password.') : undefined,
    );
    start(gw.fetch);
    expect($('login-screen')).not.toBeNull();
    for (const id of ['login-username', 'login-password', 'login-submit', 'register-link']) expect($(id), id).not.toBeNull();

    type('login-username', 'ann');
    type('login-password', 'wrong-password');
    submit('login-submit');
    await flush();

    const error = $('form-error')!;
    expect(error.hidden).toBe(false);
    expect(error.textContent).toBe('Invalid username or password.');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    const login = gw.calls.find((c) => c.url === '/api/auth/login')!;
    expect(JSON.parse(login.body!)).toEqual({ username: 'ann', password: 'wrong-password', refreshTokenCookie: true });
  });

  it('stores the tokens and shows the workspace list after a good login', async () => {
    const gw = fakeGateway(
      (c) => (c.url === '/api/auth/login' ? json(200, { accessToken: 'A1', tokenType: 'Bearer', expiresIn: 900 }) : undefined),
      (c) => (c.url === '/api/workspaces' && c.method === 'GET' ? json(200, [{ id: 'w1', name: 'alpha', role: 'owner' }]) : undefined),
    );
    start(gw.fetch);
    type('login-username', 'ann');
    type('login-password', 'correct-horse');
    submit('login-submit');
    await flush();

    expect(JSON.parse(localStorage.getItem(TOKEN_STORAGE_KEY)!)).toEqual({ accessToken: 'A1', expiresAt: expect.any(Number) });
    expect($('workspace-list')).not.toBeNull();
    expect($$('workspace-item').map((li) => li.querySelector('.workspace-name')!.textContent)).toEqual(['alpha']);
    const list = gw.calls.find((c) => c.url === '/api/workspaces')!;
    expect(list.headers['authorization']).toBe('Bearer A1');
    expect($('current-user')!.textContent).toBe('Ann');
  });

  it('register shows the server’s problem title when there is no detail', async () => {
    const gw = fakeGateway((c) => (c.url === '/api/auth/register' ? problem(409, 'Username already taken') : undefined));
    start(gw.fetch, '/register');
    type('register-username', 'ann');
    type('register-password', 'long-enough-pw');
    type('register-displayname', 'Ann A');
    submit('register-submit');
    await flush();
    expect($('form-error')!.textContent).toBe('Username already taken');
    expect(JSON.parse(gw.calls.find((c) => c.url === '/api/auth/register')!.body!)).toEqual({
      username: 'ann', password: 'long-enough-pw', displayName: 'Ann A',
    });
  });

  it('register then signs in with the same credentials', async () => {
    const gw = fakeGateway(
      (c) => (c.url === '/api/auth/register' ? json(201, { id: 'u9', username: 'zed', displayName: 'zed' }) : undefined),
      (c) => (c.url === '/api/auth/login' ? json(200, { accessToken: 'A9', tokenType: 'Bearer', expiresIn: 900 }) : undefined),
      (c) => (c.url === '/api/workspaces' ? json(200, []) : undefined),
    );
    start(gw.fetch, '/register');
    type('register-username', 'zed');
    type('register-password', 'long-enough-pw');
    submit('register-submit');
    await flush();
    expect(gw.calls.map((c) => c.url).filter((u) => u.startsWith('/api/auth/') && u !== '/api/auth/me')).toEqual([
      '/api/auth/register',
      '/api/auth/login',
    ]);
    expect(window.location.pathname).toBe('/');
    expect($('workspace-list')).not.toBeNull();
    expect($('workspace-status')!.textContent).toContain('No workspaces yet');
  });
});

describe('workspaces', () => {
  it('creates, lists and deletes (after confirmation) workspaces', async () => {
    signIn();
    const server = [{ id: 'w1', name: 'alpha', role: 'owner' }, { id: 'w2', name: 'shared', role: 'viewer' }];
    const gw = fakeGateway(
      (c) => (c.url === '/api/workspaces' && c.method === 'GET' ? json(200, server) : undefined),
      (c) => (c.url === '/api/workspaces' && c.method === 'POST' ? json(201, { id: 'w3', name: JSON.parse(c.body!).name, role: 'owner' }) : undefined),
      (c) => (c.url === '/api/workspaces/w1' && c.method === 'DELETE' ? empty(204) : undefined),
    );
    start(gw.fetch);
    await flush();
    expect($$('workspace-item').map((li) => li.dataset.workspaceId)).toEqual(['w1', 'w2']);
    // Only owners get a delete button.
    expect($$('workspace-delete')).toHaveLength(1);

    type('workspace-name', 'beta');
    submit('workspace-create');
    await flush();
    expect(JSON.parse(gw.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ name: 'beta' });
    expect($$('workspace-item').map((li) => li.dataset.workspaceId)).toEqual(['w1', 'w3', 'w2']);

    $('workspace-delete')!.click();
    expect(gw.calls.some((c) => c.method === 'DELETE')).toBe(false);
    $('workspace-delete-confirm')!.click();
    await flush();
    expect(gw.calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/workspaces/w1']);
    expect($$('workspace-item').map((li) => li.dataset.workspaceId)).toEqual(['w3', 'w2']);
  });

  it('shows the problem detail when creating fails', async () => {
    signIn();
    const gw = fakeGateway(
      (c) => (c.url === '/api/workspaces' && c.method === 'GET' ? json(200, []) : undefined),
      (c) => (c.method === 'POST' ? problem(400, 'Invalid name', 'Workspace names are 1–100 characters.') : undefined),
    );
    start(gw.fetch);
    await flush();
    type('workspace-name', 'x');
    submit('workspace-create');
    await flush();
    expect($('workspace-error')!.hidden).toBe(false);
    expect($('workspace-error')!.textContent).toBe('Workspace names are 1–100 characters.');
  });

  it('refreshes an expired access token with the cookie and carries on', async () => {
    signIn('A1');
    const gw = fakeGateway(
      (c) => (c.url === '/api/auth/refresh' ? json(200, { accessToken: 'A2', tokenType: 'Bearer', expiresIn: 900 }) : undefined),
      (c) => (c.url === '/api/workspaces' && c.headers['authorization'] === 'Bearer A1' ? problem(401, 'Unauthorized') : undefined),
      (c) => (c.url === '/api/workspaces' ? json(200, [{ id: 'w1', name: 'alpha', role: 'owner' }]) : undefined),
    );
    start(gw.fetch);
    await flush();
    expect($$('workspace-item')).toHaveLength(1);
    const refresh = gw.calls.find((c) => c.url === '/api/auth/refresh')!;
    expect(refresh.headers['x-webide-csrf']).toBe('1');
    expect(refresh.body).toBeUndefined();
    expect(JSON.parse(localStorage.getItem(TOKEN_STORAGE_KEY)!)).toEqual({ accessToken: 'A2', expiresAt: expect.any(Number) });
  });

  it('drops a token pair an earlier version stored and asks to sign in', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify({ accessToken: 'A0', refreshToken: 'R0', expiresAt: Date.now() + 900_000 }));
    const gw = fakeGateway();
    start(gw.fetch);
    await flush();
    expect($('login-screen')).not.toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(gw.calls.some((c) => c.url === '/api/auth/refresh')).toBe(false);
  });

  it('returns to the login screen with a notice when the session cannot be refreshed', async () => {
    signIn();
    const gw = fakeGateway(
      (c) => (c.url === '/api/workspaces' ? problem(401, 'Unauthorized') : undefined),
      (c) => (c.url === '/api/auth/refresh' ? problem(401, 'Unauthorized', 'Session revoked') : undefined),
      (c) => (c.url === '/api/auth/me' ? problem(401, 'Unauthorized') : undefined),
    );
    start(gw.fetch);
    await flush();
    expect($('login-screen')).not.toBeNull();
    expect($('form-notice')!.textContent).toContain('sign in again');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(gw.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);

    // The notice survives although two requests (list and /me) failed together, and the
    // login screen was not rebuilt under the user's fingers.
    const form = $('login-screen');
    type('login-username', 'ann');
    await flush();
    expect($('login-screen')).toBe(form);
    expect($<HTMLInputElement>('login-username')!.value).toBe('ann');
  });
});

describe('IDE route', () => {
  it('lazily loads the IDE screen for /w/<id> and shows the workspace name', async () => {
    signIn();
    const gw = fakeGateway((c) =>
      c.url === '/api/workspaces/w%201'
        ? json(200, { id: 'w 1', name: 'alpha', role: 'editor', members: [{ userId: 'u1', username: 'ann', role: 'editor' }] })
        : c.url === '/api/workspaces/w%201/tree'
          ? json(200, { entries: [] })
          : undefined,
    );
    start(gw.fetch, '/w/w%201');
    // The first import() of the chunk is transformed on demand, so wait for it.
    await vi.waitFor(() => expect($('ide-workspace-name')?.textContent).toBe('alpha'), { timeout: 5000 });
    expect($('ide-screen')!.dataset.workspaceId).toBe('w 1');
    expect($('file-tree')).not.toBeNull();
    expect($('editor')).not.toBeNull();
    expect(document.title).toBe('alpha · WebIde');
  }, 20000);

  it('sends a signed-out visitor of /w/<id> to the login screen', async () => {
    const gw = fakeGateway();
    start(gw.fetch, '/w/abc');
    await flush();
    expect(window.location.pathname).toBe('/');
    expect($('login-screen')).not.toBeNull();
    expect(gw.calls.some((c) => c.url.startsWith('/api/workspaces'))).toBe(false);
  });

  it('says so when the workspace is not visible', async () => {
    signIn();
    start(fakeGateway().fetch, '/w/nope');
    await vi.waitFor(() => expect($('ide-workspace-name')?.textContent).toBe('Workspace not found'), { timeout: 5000 });
  }, 20000);
});

describe('status footer', () => {
  it('polls /health on start and shows the platform state', async () => {
    const gw = fakeGateway((c) => (c.url === '/health' ? json(503, { status: 'Unhealthy' }) : undefined));
    start(gw.fetch);
    await flush();
    expect(gw.calls.filter((c) => c.url === '/health')).toHaveLength(1);
    expect($$('health-dot').map((d) => d.dataset.state)).toEqual(['unhealthy']);
    expect($('health')!.dataset.state).toBe('unhealthy');
  });
});
