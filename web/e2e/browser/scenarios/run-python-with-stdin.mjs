// A python program that reads a line runs from the Run button: what is typed into the stdin field
// reaches it, its answer shows in the output terminal, and the run ends with status ok and its
// exit line. A second run then reads from the terminal itself (typing into xterm).
import { waitFor } from '../harness.mjs';

const PATH = 'greet.py';

/** What the output terminal shows (xterm's DOM rows use no-break spaces). */
async function outputText(page) {
  return (await page.getByTestId('output').innerText()).replace(/\u00a0/g, ' ');
}

export default async function runPythonWithStdin(t) {
  const owner = await t.api.newUser('runner');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, 'name = input()\nprint("hello", name)\n');

  const page = await t.openIde(owner, ws.id);
  await page.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await page.locator(`[data-testid="tab"][data-path="${PATH}"][aria-selected="true"]`).waitFor({ timeout: 10000 });
  await waitFor(() => page.evaluate((p) => typeof window.webide?.getText?.(p) === 'string', PATH), { timeoutMs: 30000, what: 'the file in the editor' });

  const started = Date.now();
  await page.getByTestId('run-button').click();
  const stdin = page.getByTestId('stdin-input');
  await stdin.fill('Ada', { timeout: 15000 });
  await stdin.press('Enter');
  await waitFor(async () => (await outputText(page)).includes('hello Ada'), { timeoutMs: 30000, what: '"hello Ada" in the output' });
  const status = page.getByTestId('run-status');
  await waitFor(async () => (await status.getAttribute('data-status')) === 'ok', { timeoutMs: 30000, what: 'run-status ok' });
  t.record('clickToExitedMs', Date.now() - started);
  const text = await outputText(page);
  if (!/\[exited: ok, code 0, \d+\.\d\d s wall, \d+\.\d\d s CPU/.test(text)) throw new Error(`no exit line in the output: ${text}`);
  await t.screenshot(page, 'stdin-field');

  // Again, typing into the terminal (Ctrl+Enter from the page runs the active file).
  await page.getByTestId('tree-refresh').focus();
  await page.keyboard.press('Control+Enter');
  await waitFor(async () => (await status.getAttribute('data-status')) === 'running', { timeoutMs: 30000, what: 'the second run to start' });
  await page.locator('[data-testid="output"] .xterm').click();
  await page.keyboard.type('Grace');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await outputText(page)).includes('hello Grace'), { timeoutMs: 30000, what: '"hello Grace" in the output' });
  await waitFor(async () => (await status.getAttribute('data-status')) === 'ok', { timeoutMs: 30000, what: 'run-status ok after the second run' });
  await t.screenshot(page, 'terminal-input');
}
