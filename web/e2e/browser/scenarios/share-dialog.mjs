// The owner shares a workspace from the IDE's Share dialog: adds a user as viewer, makes them an
// editor, removes them. After each step the other user's own workspace list (over the API) says
// so. Mistakes are explained: an unknown username, and demoting the last owner.
import { waitFor } from '../harness.mjs';

async function roleOf(t, user, workspaceId) {
  const list = await t.api.call('GET', '/api/workspaces', { token: user.token });
  return list.find((w) => w.id === workspaceId)?.role ?? null;
}

export default async function shareDialog(t) {
  const owner = await t.api.newUser('sharer');
  const friend = await t.api.newUser('friend');
  const ws = await t.api.createWorkspace(owner);
  const page = await t.openIde(owner, ws.id);

  await page.getByTestId('share-button').click();
  const dialog = page.getByTestId('share-dialog');
  await dialog.waitFor();
  const member = (name) => dialog.locator(`[data-testid="member"][data-username="${name}"]`);
  await member(owner.username).waitFor({ timeout: 10000 });

  // An unknown user is named as such.
  await dialog.getByTestId('share-username').fill('nobody-by-this-name');
  await dialog.getByTestId('share-add').click();
  await waitFor(async () => /no user named/i.test(await dialog.getByTestId('share-error').innerText()), { what: 'the unknown-user error' });

  // Add as viewer.
  await dialog.getByTestId('share-username').fill(friend.username);
  await dialog.getByTestId('share-role').selectOption('viewer');
  await dialog.getByTestId('share-add').click();
  await member(friend.username).waitFor({ timeout: 10000 });
  if ((await member(friend.username).getAttribute('data-role')) !== 'viewer') throw new Error('the friend was not added as a viewer');
  await waitFor(async () => (await roleOf(t, friend, ws.id)) === 'viewer', { what: 'the friend to see the workspace as viewer' });
  await t.screenshot(page, 'viewer-added');

  // Change to editor.
  await member(friend.username).getByTestId('member-role').selectOption('editor');
  await waitFor(async () => (await member(friend.username).getAttribute('data-role')) === 'editor', { what: 'the friend shown as editor' });
  await waitFor(async () => (await roleOf(t, friend, ws.id)) === 'editor', { what: 'the friend to see the workspace as editor' });

  // The last owner cannot step down: the dialog says why, and the list still shows the owner.
  await member(owner.username).getByTestId('member-role').selectOption('editor');
  await waitFor(async () => /at least one owner/i.test(await dialog.getByTestId('share-error').innerText()), { what: 'the last-owner error' });
  await waitFor(async () => (await member(owner.username).getByTestId('member-role').inputValue()) === 'owner', { what: 'the owner still shown as owner' });
  await t.screenshot(page, 'last-owner-refused');

  // Remove.
  await member(friend.username).getByTestId('member-remove').click();
  await member(friend.username).waitFor({ state: 'detached', timeout: 10000 });
  await waitFor(async () => (await roleOf(t, friend, ws.id)) === null, { what: 'the workspace gone from the friend\'s list' });

  // Someone who is not an owner sees no Share button.
  await t.api.addMember(owner, ws.id, friend.username, 'editor');
  const friendPage = await t.openIde(friend, ws.id);
  await friendPage.getByTestId('ide-role').waitFor();
  if (await friendPage.getByTestId('share-button').isVisible()) throw new Error('an editor sees the Share button');
  await t.screenshot(page, 'after-remove');
}
