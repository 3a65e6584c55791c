// The explorer end to end: a workspace and a file are created through the UI, the file is renamed
// and moved into a folder (its tab follows), another member's REST changes (a new file, a move of
// the open file) show up live without a reload, a file is dragged into a folder, and the file is
// deleted (its tab closes). The server's tree agrees at every step.
import { uniqueName, waitFor } from '../harness.mjs';

const item = (page, path) => page.locator(`[data-testid="file-tree-item"][data-path="${path}"]`);
const tab = (page, path) => page.locator(`[data-testid="tab"][data-path="${path}"]`);

async function serverPaths(t, user, workspaceId) {
  const tree = await t.api.call('GET', `/api/workspaces/${workspaceId}/tree`, { token: user.token });
  return tree.entries.map((e) => e.path);
}

async function treeAction(page, path, action) {
  await item(page, path).click({ button: 'right' });
  await page.getByTestId(`tree-menu-${action}`).click();
}

async function answerPrompt(page, value) {
  const input = page.getByTestId('dialog-input');
  await input.fill(value);
  await page.getByTestId('dialog-ok').click();
  await page.getByTestId('prompt-dialog').waitFor({ state: 'detached', timeout: 10000 });
}

export default async function fileTreeAndTabs(t) {
  const owner = await t.api.newUser('explorer');
  const other = await t.api.newUser('colleague');
  const page = await t.newPage();
  await t.signIn(page, owner);

  // A workspace from the list, opened in the IDE.
  const name = uniqueName('tree');
  await page.getByTestId('workspace-name').fill(name);
  await page.getByTestId('workspace-create').click();
  await page.getByTestId('workspace-item').filter({ hasText: name }).getByTestId('workspace-link').click();
  await page.getByTestId('file-tree').waitFor({ timeout: 30000 });
  const workspaceId = await page.getByTestId('ide-screen').getAttribute('data-workspace-id');
  // The tree shows what the server holds (a new workspace may come with starter files).
  const initial = await serverPaths(t, owner, workspaceId);
  await waitFor(async () => (await page.getByTestId('file-tree-item').count()) === initial.filter((p) => !p.includes('/')).length, {
    what: `the tree to show ${JSON.stringify(initial)}`,
  });

  // A file made in the explorer opens in a tab.
  await page.getByTestId('tree-new-file').click();
  await answerPrompt(page, 'hello.py');
  await item(page, 'hello.py').waitFor({ timeout: 10000 });
  await tab(page, 'hello.py').waitFor({ timeout: 10000 });
  await waitFor(async () => (await serverPaths(t, owner, workspaceId)).includes('hello.py'), { what: 'hello.py on the server' });
  await waitFor(() => page.evaluate(() => window.webide?.getText?.('hello.py') === ''), { timeoutMs: 30000, what: 'hello.py in the editor' });
  await page.getByTestId('editor').click();
  await page.keyboard.type('answer = 42');
  await waitFor(() => page.evaluate(() => window.webide.getText('hello.py') === 'answer = 42'), { what: 'the typed text in the editor' });

  // Rename: the tab follows, the text stays.
  await treeAction(page, 'hello.py', 'rename');
  await answerPrompt(page, 'greeting.py');
  await tab(page, 'greeting.py').waitFor({ timeout: 10000 });
  await item(page, 'greeting.py').waitFor({ timeout: 10000 });
  if (await item(page, 'hello.py').count()) throw new Error('hello.py is still in the tree after the rename');
  if (await tab(page, 'hello.py').count()) throw new Error('a tab for hello.py is still open after the rename');

  // A folder, then a move into it (the "move to" prompt).
  await item(page, 'greeting.py').click();
  await page.getByTestId('tree-new-folder').click();
  await answerPrompt(page, 'src');
  await item(page, 'src').waitFor({ timeout: 10000 });
  if ((await item(page, 'src').getAttribute('data-type')) !== 'directory') throw new Error('src is not shown as a directory');
  await treeAction(page, 'greeting.py', 'move');
  await answerPrompt(page, 'src');
  await item(page, 'src/greeting.py').waitFor({ timeout: 10000 });
  await tab(page, 'src/greeting.py').waitFor({ timeout: 10000 });
  const active = await page.locator('[data-testid="tab"][aria-selected="true"]').getAttribute('data-path');
  if (active !== 'src/greeting.py') throw new Error(`the active tab is ${active}, expected src/greeting.py`);
  await waitFor(async () => {
    const paths = await serverPaths(t, owner, workspaceId);
    return paths.includes('src/greeting.py') && !paths.includes('greeting.py') && !paths.includes('hello.py');
  }, { what: 'src/greeting.py (only) on the server' });
  await waitFor(async () => (await t.api.getFile(owner, workspaceId, 'src/greeting.py')) === 'answer = 42', {
    timeoutMs: 15000, what: 'the typed text in the moved file',
  });
  await t.screenshot(page, 'after-move');

  // Another member's changes arrive live: a new file, then a move of the open file.
  await t.api.addMember(owner, workspaceId, other.username, 'editor');
  await t.api.putFile(other, workspaceId, 'notes/from-colleague.md', '# hi\n');
  await item(page, 'notes').waitFor({ timeout: 10000 });
  await item(page, 'notes').click();
  await item(page, 'notes/from-colleague.md').waitFor({ timeout: 10000 });
  // Drag and drop moves too.
  await item(page, 'notes/from-colleague.md').dragTo(item(page, 'src'));
  await item(page, 'src/from-colleague.md').waitFor({ timeout: 10000 });
  await waitFor(async () => (await serverPaths(t, owner, workspaceId)).includes('src/from-colleague.md'), { what: 'the dragged file on the server' });
  await t.api.call('POST', `/api/workspaces/${workspaceId}/move`, {
    token: other.token, json: { from: 'src/greeting.py', to: 'src/welcome.py' },
  });
  await tab(page, 'src/welcome.py').waitFor({ timeout: 10000 });
  await item(page, 'src/welcome.py').waitFor({ timeout: 10000 });
  if (await tab(page, 'src/greeting.py').count()) throw new Error('the tab did not follow the colleague\'s move');
  await waitFor(() => page.evaluate(() => window.webide.getText('src/welcome.py') === 'answer = 42'), {
    timeoutMs: 15000, what: 'the moved file\'s text in the editor',
  });
  await t.screenshot(page, 'live-updates');

  // Delete (with a confirmation): the entry and its tab go.
  await treeAction(page, 'src/welcome.py', 'delete');
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('dialog-ok').click();
  await item(page, 'src/welcome.py').waitFor({ state: 'detached', timeout: 10000 });
  await tab(page, 'src/welcome.py').waitFor({ state: 'detached', timeout: 10000 });
  await waitFor(async () => !(await serverPaths(t, owner, workspaceId)).includes('src/welcome.py'), { what: 'src/welcome.py gone from the server' });
  // The colleague's deletion shows up too.
  await t.api.call('DELETE', `/api/workspaces/${workspaceId}/files/notes`, { token: other.token });
  await item(page, 'notes').waitFor({ state: 'detached', timeout: 10000 });
  await t.screenshot(page, 'after-delete');
}
