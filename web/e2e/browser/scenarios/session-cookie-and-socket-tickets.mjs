// The web app keeps no refresh token where a script can read it and puts no token in a socket's
// URL (docs/api.md §1, §7): after signing in, localStorage holds the access token only and the
// refresh token is an HttpOnly, Secure, SameSite=Strict cookie; every WebSocket opens with a
// single-use ticket. An access token that no longer works (as after expiry) is renewed with the
// cookie on reload and the editor comes back; a refresh without the CSRF header is refused and
// spends nothing; signing out ends the session and clears the cookie.
import { waitFor } from '../harness.mjs';

const PATH = 'main.py';

async function storedTokens(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('webide.auth') ?? 'null'));
}

async function refreshCookie(page) {
  return (await page.context().cookies()).find((cookie) => cookie.name === 'webide_refresh');
}

async function editorShows(page) {
  await page.getByTestId('file-tree').waitFor({ timeout: 30000 });
  await page.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await waitFor(() => page.evaluate((p) => typeof window.webide?.getText?.(p) === 'string', PATH), { timeoutMs: 30000, what: 'the file in the editor' });
}

export default async function sessionCookieAndSocketTickets(t) {
  const owner = await t.api.newUser('cookie');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, 'print("hello")\n');

  const page = await t.newPage();
  const socketUrls = [];
  page.on('websocket', (socket) => socketUrls.push(socket.url()));
  await t.signIn(page, owner);

  const stored = await storedTokens(page);
  if (!stored?.accessToken || 'refreshToken' in stored) throw new Error(`localStorage holds ${JSON.stringify(Object.keys(stored ?? {}))}, not the access token alone`);
  const cookie = await refreshCookie(page);
  if (!cookie) throw new Error('no refresh token cookie after signing in');
  const attributes = { httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path };
  if (JSON.stringify(attributes) !== JSON.stringify({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' })) {
    throw new Error(`the cookie is ${JSON.stringify(attributes)}`);
  }
  if ((await page.evaluate(() => document.cookie)).includes('webide_refresh')) throw new Error('a script can read the refresh token cookie');

  await page.goto(`/w/${ws.id}`);
  await editorShows(page);
  await waitFor(() => socketUrls.length > 0, { what: 'a WebSocket to open' });

  // A refresh a page of another site could start (no CSRF header) is refused and spends nothing.
  const refused = await page.evaluate(() => fetch('/api/auth/refresh', { method: 'POST' }).then((r) => r.status));
  if (refused !== 403) throw new Error(`a refresh without the CSRF header answered ${refused}`);

  // An access token that no longer works: the app renews it with the cookie, and carries on.
  await page.evaluate(() => localStorage.setItem('webide.auth', JSON.stringify({ accessToken: 'no.longer.valid', expiresAt: 0 })));
  await page.reload();
  await editorShows(page);
  const renewed = await storedTokens(page);
  if (!renewed?.accessToken || renewed.accessToken === 'no.longer.valid') throw new Error('the access token was not renewed with the cookie');

  const leaking = socketUrls.filter((url) => url.includes('access_token') || url.includes(stored.accessToken) || url.includes(renewed.accessToken) || !/[?&]ticket=/.test(url));
  if (leaking.length > 0) throw new Error(`socket URLs without a ticket or with a token: ${leaking.join(', ')}`);
  t.record('socketsOpenedWithTickets', socketUrls.length);
  await t.screenshot(page, 'editor-after-renewal');

  await page.getByTestId('logout').click();
  await page.getByTestId('login-screen').waitFor({ timeout: 15000 });
  await waitFor(async () => !(await refreshCookie(page)), { what: 'the cookie to be cleared by logout' });
  const afterLogout = await t.api.call('GET', '/api/auth/me', { token: renewed.accessToken }).then(() => 'accepted', (error) => error.status);
  await waitFor(async () => (await t.api.call('GET', '/api/auth/me', { token: renewed.accessToken }).then(() => false, (error) => error.status === 401)), {
    what: `the session's access token to be refused after logout (first answer: ${afterLogout})`,
  });
}
