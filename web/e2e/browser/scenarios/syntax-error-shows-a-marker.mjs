// A syntax error typed into a python file gets an error marker from the execution service's
// check, after a pause in typing. Needs the real (Monaco) editing core: the textarea stand-in
// has no markers, so this scenario fails until it lands.
import { waitFor } from '../harness.mjs';

const PATH = 'broken.py';

export default async function syntaxErrorShowsAMarker(t) {
  const owner = await t.api.newUser('checker');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, 'print("fine")\n');
  const page = await t.openIde(owner, ws.id);
  await page.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await waitFor(() => page.evaluate((p) => window.webide?.getText?.(p) === 'print("fine")\n', PATH), { timeoutMs: 30000, what: 'the file in the editor' });
  if (!(await page.evaluate(() => typeof window.webide?.getMarkers === 'function'))) {
    throw new Error('window.webide.getMarkers is missing: this needs the real editing core');
  }
  await waitFor(async () => (await page.evaluate((p) => window.webide.getMarkers(p).length, PATH)) === 0, { what: 'no markers on valid code' });

  // A line that cannot parse, typed at the end of the file.
  await page.getByTestId('editor').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('def oops(:\n');
  const markers = await waitFor(async () => {
    const found = await page.evaluate((p) => window.webide.getMarkers(p), PATH);
    return found.length > 0 ? found : null;
  }, { timeoutMs: 20000, what: 'an error marker for the syntax error' });
  t.log(`markers: ${JSON.stringify(markers)}`);
  await t.screenshot(page, 'marker');
}
