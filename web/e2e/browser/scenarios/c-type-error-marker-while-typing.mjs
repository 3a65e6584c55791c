// Diagnostics from the C language server (docs/api.md §6): a type error typed into a C file gets
// an error marker from the server while typing — no Run, and no check of the execution service
// (they pause while a server has the file).
import { waitFor } from '../harness.mjs';
import { SERVER_START_MS, openServedFile, requireLanguageServer } from '../language-servers.mjs';

const PATH = 'main.c';
const TEXT = '#include <stdio.h>\n\nint main(void) {\n    int count = 0;\n    printf("%d\\n", count);\n    return 0;\n}\n';

const lspMarkers = (page) => page.evaluate((p) => window.webide.getMarkers(p).filter((m) => m.owner === 'lsp'), PATH);

export default async function cTypeErrorMarkerWhileTyping(t) {
  await requireLanguageServer(t, 'c');
  const owner = await t.api.newUser('typist');
  const ws = await t.api.createWorkspace(owner);
  await t.api.putFile(owner, ws.id, PATH, TEXT);
  const page = await t.openIde(owner, ws.id);
  const runs = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('/check') || path.startsWith('/ws/exec/')) runs.push(`${request.method()} ${path}`);
  });
  await openServedFile(page, PATH, TEXT);
  const checksBefore = runs.length; // a check may have started before the server had the file
  // Valid code: the server's first diagnostics have none.
  await waitFor(async () => (await lspMarkers(page)).length === 0, { what: 'no markers on valid code' });

  // `count` is an int: it has no members. Typed on a new line after its declaration.
  await page.getByTestId('editor').click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const typed = Date.now();
  await page.keyboard.type('count.total = 1;');
  await waitFor(() => page.evaluate((p) => window.webide.getText(p).includes('    int count = 0;\n    count.total = 1;\n'), PATH), {
    what: 'the typed line in the editor',
  });

  const markers = await waitFor(async () => {
    const found = (await lspMarkers(page)).filter((m) => m.startLineNumber === 5 && m.severity === 8);
    return found.length > 0 ? found : null;
  }, { timeoutMs: SERVER_START_MS, what: 'an error marker from the language server on line 5' });
  t.record('typedToMarkerMs', Date.now() - typed);
  t.log(`markers: ${JSON.stringify(markers)}`);
  if (runs.length > checksBefore) throw new Error(`a run or a check was started while the language server had the file: ${JSON.stringify(runs)}`);
  await t.screenshot(page, 'marker');
}
