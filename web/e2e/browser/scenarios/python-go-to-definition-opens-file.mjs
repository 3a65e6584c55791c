// Go to definition from the Python language server (docs/api.md §6): F12 on a call of a function
// defined in another file opens that file in a tab, with the cursor on the definition.
import { waitFor } from '../harness.mjs';
import { SERVER_START_MS, openServedFile, requireLanguageServer, tokenCenter } from '../language-servers.mjs';

const MAIN = 'main.py';
const MAIN_TEXT = 'from shapes import circle_area\n\nprint(circle_area(2))\n';
const SHAPES = 'shapes.py';
const SHAPES_TEXT = 'import math\n\n\ndef circle_area(radius):\n    return math.pi * radius ** 2\n';

export default async function pythonGoToDefinitionOpensFile(t) {
  await requireLanguageServer(t, 'python');
  const owner = await t.api.newUser('navigator');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, SHAPES, SHAPES_TEXT);
  await t.api.putFile(owner, ws.id, MAIN, MAIN_TEXT);
  const page = await t.openIde(owner, ws.id);
  await openServedFile(page, MAIN, MAIN_TEXT);

  const call = await tokenCenter(page, 'print(circle_area(2))', 'circle_area');
  await page.mouse.click(call.x, call.y);
  await waitFor(async () => (await page.evaluate(() => window.webide.getCursor()))?.lineNumber === 3, { what: 'the cursor on the call' });

  const started = Date.now();
  // The server may still be reading the project: F12 again until it answers with the definition.
  await waitFor(async () => {
    if (await page.locator(`[data-testid="tab"][data-path="${SHAPES}"]`).count() > 0) return true;
    await page.keyboard.press('F12');
    return false;
  }, { timeoutMs: SERVER_START_MS, intervalMs: 2000, what: `F12 to open ${SHAPES}` });
  await page.locator(`[data-testid="tab"][data-path="${SHAPES}"][aria-selected="true"]`).waitFor({ timeout: 10000 });
  t.record('f12ToTabMs', Date.now() - started);
  await waitFor(() => page.evaluate(([p, x]) => window.webide.getText(p) === x, [SHAPES, SHAPES_TEXT]), { timeoutMs: 30000, what: `${SHAPES} in the editor` });

  // At the definition: line 4, `def circle_area(radius):`, on its name or at the line's start.
  const cursor = await waitFor(async () => {
    const at = await page.evaluate(() => window.webide.getCursor());
    return at?.path === SHAPES && at.lineNumber === 4 ? at : null;
  }, { what: `the cursor on the definition in ${SHAPES}` });
  if (cursor.column !== 1 && cursor.column !== 5) throw new Error(`the cursor is at ${JSON.stringify(cursor)}, not on circle_area`);
  if (new URL(page.url()).searchParams.get('file') !== SHAPES) throw new Error(`?file= is not ${SHAPES}: ${page.url()}`);
  await t.screenshot(page, 'definition');
}
