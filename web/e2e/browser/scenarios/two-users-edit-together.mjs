// Two people (the owner and an editor) open the same file in two browser contexts and type
// into it at the same time, on different lines. Both editors and the server's file must end
// with the same text, holding everything both typed; each sees the other's cursor, and the
// presence list names both. Undo then takes back the owner's typing only.
import { waitFor } from '../harness.mjs';

const PATH = 'main.py';
const INITIAL = 'first = 1\nsecond = 2\n';

const textOf = (page) => page.evaluate((path) => window.webide?.getText?.(path), PATH);

async function openFile(t, user, wsId) {
  const page = await t.openIde(user, wsId);
  await page.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await waitFor(async () => (await textOf(page)) === INITIAL, { timeoutMs: 30000, what: `${user.username} to see ${PATH}` });
  return page;
}

/** Puts the caret at the end of `line` (1-based) and types `text` key by key. */
async function typeAtEndOfLine(page, line, text) {
  const row = page.locator('.view-line').nth(line - 1);
  await row.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 15 });
}

export default async function twoUsersEditTogether(t) {
  const owner = await t.api.newUser('owner');
  const editor = await t.api.newUser('editor');
  const ws = await t.api.createWorkspace(owner);
  await t.api.addMember(owner, ws.id, editor.username, 'editor');
  await t.api.putFile(owner, ws.id, PATH, INITIAL);

  const [ownerPage, editorPage] = await Promise.all([openFile(t, owner, ws.id), openFile(t, editor, ws.id)]);
  await Promise.all([ownerPage, editorPage].map((page) =>
    waitFor(async () => (await page.getByTestId('connection-status').getAttribute('data-state')) === 'online', { what: 'online' })));

  const ownerTyped = ' # typed by the owner, é and 🙂 too';
  const editorTyped = ' # the editor was here';
  await Promise.all([typeAtEndOfLine(ownerPage, 1, ownerTyped), typeAtEndOfLine(editorPage, 2, editorTyped)]);

  const expected = `first = 1${ownerTyped}\nsecond = 2${editorTyped}\n`;
  await waitFor(async () => {
    const [a, b] = await Promise.all([textOf(ownerPage), textOf(editorPage)]);
    return a === expected && b === expected;
  }, { timeoutMs: 15000, what: 'both editors to hold everything both typed' });
  await waitFor(async () => (await t.api.getFile(owner, ws.id, PATH)) === expected, { timeoutMs: 10000, what: 'the server file to hold the same text' });

  // Each sees the other's cursor, with the other's name, and both in the presence list.
  await ownerPage.locator(`[data-testid="remote-cursor"][data-user="${editor.username}"]`).waitFor({ state: 'visible', timeout: 10000 });
  await editorPage.locator(`[data-testid="remote-cursor"][data-user="${owner.username}"]`).waitFor({ state: 'visible', timeout: 10000 });
  for (const page of [ownerPage, editorPage]) {
    for (const user of [owner, editor]) {
      await page.locator(`[data-testid="presence"] [data-user="${user.username}"]`).waitFor({ timeout: 10000 });
    }
  }
  // A selection of the editor's shows in the owner's editor too.
  await editorPage.keyboard.press('Shift+Home');
  await ownerPage.locator('.remote-selection').first().waitFor({ state: 'attached', timeout: 10000 });

  await t.screenshot(ownerPage, 'owner');
  await t.screenshot(editorPage, 'editor');

  // Undo takes back one's own typing only, wherever the other's edits have moved it.
  await ownerPage.locator('.view-line').nth(0).click();
  await ownerPage.keyboard.press('Control+z');
  const undone = `first = 1\nsecond = 2${editorTyped}\n`;
  await waitFor(async () => {
    const [a, b] = await Promise.all([textOf(ownerPage), textOf(editorPage)]);
    return a === undone && b === undone;
  }, { timeoutMs: 15000, what: "the owner's undo to remove only the owner's typing, in both editors" });
  await waitFor(async () => (await t.api.getFile(owner, ws.id, PATH)) === undone, { timeoutMs: 10000, what: 'the undo to reach the file' });
}
