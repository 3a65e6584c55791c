// A newcomer registers through the sign-up screen, signs in, and creates a workspace from the
// workspace list; the server agrees that it is theirs.
import { uniqueName, waitFor } from '../harness.mjs';

export default async function signUpAndCreateWorkspace(t) {
  const page = await t.newPage();
  const username = uniqueName('newcomer');
  const password = 'a-long-enough-password';

  await page.goto('/');
  await page.getByTestId('register-link').click();
  await page.getByTestId('register-username').fill(username);
  await page.getByTestId('register-password').fill(password);
  await page.getByTestId('register-submit').click();

  // Sign-up leads to the sign-in screen (or straight in); either way, sign in if asked.
  await page.getByTestId('login-username').or(page.getByTestId('workspaces-screen')).first().waitFor({ timeout: 15000 });
  if (await page.getByTestId('login-username').isVisible()) {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }
  await page.getByTestId('workspaces-screen').waitFor({ timeout: 15000 });

  const name = uniqueName('project');
  await page.getByTestId('workspace-name').fill(name);
  await page.getByTestId('workspace-create').click();
  await page.getByTestId('workspace-item').filter({ hasText: name }).waitFor({ timeout: 15000 });

  const tokens = await t.api.call('POST', '/api/auth/login', { json: { username, password } });
  const mine = await waitFor(async () => {
    const list = await t.api.call('GET', '/api/workspaces', { token: tokens.accessToken });
    return list.find((w) => w.name === name);
  }, { what: `workspace ${name} in GET /api/workspaces` });
  if (mine.role !== 'owner') throw new Error(`expected to own ${name}, got role ${mine.role}`);
  await t.screenshot(page, 'workspace-list');
}
