// Completion from the Python language server (docs/api.md §6): after `import os`, typing `os.pa`
// shows a suggestion list that holds `path`, and Tab takes it. On the way, Enter after `import os`
// is a newline even if a list opened by itself while the word was typed (the Enter rule).
import { waitFor } from '../harness.mjs';
import { SERVER_START_MS, openServedFile, requireLanguageServer, suggestions } from '../language-servers.mjs';

const PATH = 'main.py';
const START = 'print("start")\n';

export default async function pythonCompletionFromLanguageServer(t) {
  await requireLanguageServer(t, 'python');
  const owner = await t.api.newUser('completer');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, START);
  const page = await t.openIde(owner, ws.id);
  t.record('serverReadyMs', await openServedFile(page, PATH, START));

  await page.getByTestId('editor').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('import os');
  await page.keyboard.press('Enter');
  await waitFor(() => page.evaluate((p) => window.webide.getText(p) === 'print("start")\nimport os\n', PATH), {
    what: 'Enter after "import os" to be a newline, not a suggestion taken',
  });

  const typed = Date.now();
  await page.keyboard.type('os.pa');
  const list = await waitFor(async () => {
    const shown = await suggestions(page);
    return shown?.labels.includes('path') ? shown : null;
  }, { timeoutMs: SERVER_START_MS, what: 'a suggestion list with "path"' });
  t.record('typedToListMs', Date.now() - typed);
  t.log(`suggestions: ${JSON.stringify(list)}`);
  await t.screenshot(page, 'suggestions');

  // Tab takes the focused suggestion: move the focus to `path` first if another one has it.
  for (let i = 0; i < 20 && (await suggestions(page))?.focused !== 'path'; i++) await page.keyboard.press('ArrowDown');
  if ((await suggestions(page))?.focused !== 'path') throw new Error(`"path" could not be focused: ${JSON.stringify(await suggestions(page))}`);
  await page.keyboard.press('Tab');
  await waitFor(() => page.evaluate((p) => window.webide.getText(p) === 'print("start")\nimport os\nos.path', PATH), {
    what: 'Tab to complete "os.pa" to "os.path"',
  });
  await waitFor(async () => (await suggestions(page)) === null, { what: 'the list to close' });
  await t.screenshot(page, 'completed');
}
