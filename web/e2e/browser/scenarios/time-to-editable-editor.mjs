// How long a person waits from navigating to a file's IDE URL until a keystroke lands in the
// editor: first with an empty cache (a fresh browser context, the way a first visit goes),
// then again after a reload (cached chunks). Recorded as figures for the run's summary.
import { waitFor } from '../harness.mjs';

export const PATH = 'main.py';

/**
 * Navigates `page` to `url` (an IDE URL opening PATH) and returns the milliseconds until a
 * click and the keystroke `marker` change what the editor holds. Also used by
 * bench/web-load (cold loads with and without compression).
 */
export async function timeToEditable(page, url, marker) {
  const started = Date.now();
  await page.goto(url);
  const editor = page.getByTestId('editor');
  await editor.waitFor({ timeout: 60000 });
  // Editable means: a click and a keystroke change what the editor holds.
  await waitFor(async () => {
    const text = await page.evaluate((path) => window.webide?.getText?.(path), PATH);
    if (text === undefined || text === null) return false;
    await editor.click({ timeout: 1000 });
    await page.keyboard.type(marker);
    const after = await page.evaluate((path) => window.webide.getText(path), PATH);
    return after.includes(marker);
  }, { timeoutMs: 60000, intervalMs: 25, what: 'a keystroke to reach the editor' });
  return Date.now() - started;
}

export default async function timeToEditableEditor(t) {
  const owner = await t.api.newUser('timer');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, 'print("hello")\n');

  const page = await t.newPage();
  await t.signIn(page, owner);
  const url = `/w/${ws.id}?file=${encodeURIComponent(PATH)}`;

  const coldMs = await timeToEditable(page, url, 'A');
  const warmMs = await timeToEditable(page, url, 'B');
  t.record('navigationToEditableColdMs', coldMs);
  t.record('navigationToEditableWarmMs', warmMs);
  t.log(`navigation → editable editor: ${coldMs} ms with an empty cache, ${warmMs} ms after a reload`);
  await t.screenshot(page, 'editable');
}
