// A viewer opens a file, clicks into the editor and types: the editor is read-only, so the text
// stays as it was, in the viewer's editor and on the server. The viewer still follows: a change
// the owner makes to the file reaches the viewer's editor.
import { waitFor } from '../harness.mjs';

const PATH = 'notes.md';
const INITIAL = '# Notes\n\nNothing to change here.\n';

const textOf = (page) => page.evaluate((path) => window.webide?.getText?.(path), PATH);

export default async function viewerCannotEdit(t) {
  const owner = await t.api.newUser('owner');
  const viewer = await t.api.newUser('viewer');
  const ws = await t.api.createWorkspace(owner);
  await t.api.addMember(owner, ws.id, viewer.username, 'viewer');
  await t.api.putFile(owner, ws.id, PATH, INITIAL);

  const page = await t.openIde(viewer, ws.id);
  await page.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await waitFor(async () => (await textOf(page)) === INITIAL, { timeoutMs: 30000, what: 'the viewer to see the file' });
  await waitFor(async () => (await page.getByTestId('connection-status').getAttribute('data-state')) === 'online', { what: 'online' });

  await page.locator('.view-line').nth(2).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' I was here', { delay: 10 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText('pasted');
  await t.screenshot(page, 'viewer-typed');

  // Give a (wrongly) sent edit the time to reach the file before looking.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const local = await textOf(page);
  if (local !== INITIAL) throw new Error(`the viewer's editor changed: ${JSON.stringify(local)}`);
  const server = await t.api.getFile(owner, ws.id, PATH);
  if (server !== INITIAL) throw new Error(`the server file changed: ${JSON.stringify(server)}`);

  // Read-only, not disconnected: the owner's change arrives.
  const changed = `${INITIAL}Added by the owner.\n`;
  await t.api.putFile(owner, ws.id, PATH, changed);
  await waitFor(async () => (await textOf(page)) === changed, { timeoutMs: 15000, what: "the owner's change to reach the viewer" });
}
