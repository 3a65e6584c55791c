// The server drops one person's collaboration socket and refuses reconnects for a while; what
// they type meanwhile is kept (the indicator says offline) and, once the socket is back, reaches
// the other person's editor and the server's file. The socket goes through a Playwright proxy
// (routeWebSocket) so the scenario can play the server dropping it.
import { waitFor } from '../harness.mjs';

const PATH = 'main.py';
const INITIAL = 'print("start")\n';

const textOf = (page) => page.evaluate((path) => window.webide?.getText?.(path), PATH);
const stateOf = (page) => page.getByTestId('connection-status').getAttribute('data-state');

export default async function offlineEditsArriveAfterReconnect(t) {
  const owner = await t.api.newUser('owner');
  const peer = await t.api.newUser('peer');
  const ws = await t.api.createWorkspace(owner);
  await t.api.addMember(owner, ws.id, peer.username, 'editor');
  await t.api.putFile(owner, ws.id, PATH, INITIAL);

  // The owner's page: its collab socket goes through this proxy.
  let refusing = false;
  let connections = 0;
  const servers = [];
  const page = await t.newPage();
  await page.routeWebSocket(/\/ws\/collab\//, (ws) => {
    if (refusing) {
      ws.close({ code: 1011, reason: 'refused by the scenario' });
      return;
    }
    connections += 1;
    servers.push({ page: ws, server: ws.connectToServer() });
  });
  await t.signIn(page, owner);
  await page.goto(`/w/${ws.id}?file=${encodeURIComponent(PATH)}`);
  await waitFor(async () => (await textOf(page)) === INITIAL, { timeoutMs: 30000, what: 'the owner to see the file' });
  await waitFor(async () => (await stateOf(page)) === 'online', { what: 'the owner online' });

  const other = await t.openIde(peer, ws.id);
  await other.locator(`[data-testid="file-tree-item"][data-path="${PATH}"]`).click();
  await waitFor(async () => (await textOf(other)) === INITIAL, { timeoutMs: 30000, what: 'the peer to see the file' });

  // A first edit while online, to be sure the line is live.
  await page.locator('.view-line').nth(0).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' # online', { delay: 10 });
  await waitFor(async () => (await textOf(other))?.includes('# online'), { timeoutMs: 10000, what: 'the online edit to reach the peer' });

  // The server side drops the socket; reconnects are refused for a while.
  refusing = true;
  for (const { page: side, server } of servers.splice(0)) {
    await server.close({ code: 1001, reason: 'going away' });
    await side.close({ code: 1001, reason: 'going away' });
  }
  await waitFor(async () => (await stateOf(page)) === 'offline', { timeoutMs: 10000, what: 'the indicator to say offline' });
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('print("typed while offline")', { delay: 20 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('x = 42', { delay: 20 });
  const offlineText = await textOf(page);
  if (!offlineText.includes('typed while offline') || !offlineText.includes('x = 42')) {
    throw new Error(`the editor lost what was typed offline: ${JSON.stringify(offlineText)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  if ((await stateOf(page)) !== 'offline') throw new Error('online while every reconnect is refused');
  if ((await textOf(other)).includes('typed while offline')) throw new Error('the peer got edits that were never sent');
  await t.screenshot(page, 'offline');
  const before = connections;

  refusing = false;
  await waitFor(async () => (await stateOf(page)) === 'online', { timeoutMs: 20000, what: 'the owner back online' });
  if (connections <= before) throw new Error('online again without a new connection');
  await waitFor(async () => (await textOf(other)) === offlineText, { timeoutMs: 15000, what: 'the offline edits to reach the peer' });
  await waitFor(async () => (await t.api.getFile(owner, ws.id, PATH)) === offlineText, { timeoutMs: 10000, what: 'the offline edits to reach the file' });
  if ((await textOf(page)) !== offlineText) throw new Error('the owner editor changed after the resume');
  await t.screenshot(page, 'back-online');
  await t.screenshot(other, 'peer');
}
