// Hover from the Python language server (docs/api.md §6): resting the mouse on a call of a function
// shows the function's signature, with its parameters' and return types.
import { waitFor } from '../harness.mjs';
import { SERVER_START_MS, hoverText, openServedFile, requireLanguageServer, tokenCenter } from '../language-servers.mjs';

const PATH = 'geometry.py';
const TEXT = 'def area(width: float, height: float) -> float:\n    return width * height\n\n\nprint(area(2, 3))\n';

export default async function pythonHoverShowsSignature(t) {
  await requireLanguageServer(t, 'python');
  const owner = await t.api.newUser('hoverer');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, TEXT);
  const page = await t.openIde(owner, ws.id);
  await openServedFile(page, PATH, TEXT);

  const call = await tokenCenter(page, 'print(area(2, 3))', 'area');
  const started = Date.now();
  const shown = await waitFor(async () => {
    // Moving onto the word (again) is what makes Monaco ask for a hover.
    await page.mouse.move(call.x - 3, call.y);
    await page.mouse.move(call.x, call.y);
    const text = await hoverText(page);
    return text && /area\s*\(\s*width: float,\s*height: float,?\s*\)\s*->\s*float/.test(text) ? text : null;
  }, { timeoutMs: SERVER_START_MS, intervalMs: 500, what: 'a hover with the signature of area' });
  t.record('hoverMs', Date.now() - started);
  t.log(`hover: ${shown}`);
  await t.screenshot(page, 'hover');
}
