import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type Role, type WorkspaceDetail } from '../src/api';
import { openShareDialog } from '../src/ide/share/share-dialog';
import { flush } from './helpers';

function fakeWorkspaces(members: Array<{ username: string; role: Role }>) {
  const calls: string[] = [];
  const known = new Set(['alice', 'bob', 'carol']);
  const api = {
    async get(): Promise<WorkspaceDetail> {
      return { id: 'w', name: 'W', role: 'owner', members: members.map((m) => ({ userId: m.username, ...m })) };
    },
    async setMember(_id: string, username: string, role: Role) {
      calls.push(`PUT ${username} ${role}`);
      if (!known.has(username)) throw new ApiError({ status: 404, title: 'Not found' });
      const owners = members.filter((m) => m.role === 'owner');
      const existing = members.find((m) => m.username === username);
      if (existing?.role === 'owner' && role !== 'owner' && owners.length === 1) throw new ApiError({ status: 409, title: 'Conflict' });
      if (existing) existing.role = role;
      else members.push({ username, role });
    },
    async removeMember(_id: string, username: string) {
      calls.push(`DELETE ${username}`);
      const i = members.findIndex((m) => m.username === username);
      members.splice(i, 1);
    },
  };
  return { api, calls, members };
}

const q = <T extends Element>(sel: string) => document.querySelector<T>(sel)!;
const member = (name: string) => q<HTMLElement>(`[data-testid="member"][data-username="${name}"]`);

describe('share dialog', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists members, adds one with a role, changes a role and removes', async () => {
    const { api, calls } = fakeWorkspaces([{ username: 'alice', role: 'owner' }]);
    openShareDialog({ workspaces: api, workspaceId: 'w', me: 'alice' });
    await flush();
    expect(member('alice').textContent).toContain('(you)');

    q<HTMLInputElement>('[data-testid="share-username"]').value = 'bob';
    q<HTMLSelectElement>('[data-testid="share-role"]').value = 'viewer';
    q<HTMLFormElement>('form.share-add').requestSubmit();
    await flush();
    expect(member('bob').dataset.role).toBe('viewer');

    const select = member('bob').querySelector<HTMLSelectElement>('[data-testid="member-role"]')!;
    select.value = 'editor';
    select.dispatchEvent(new Event('change'));
    await flush();
    expect(member('bob').dataset.role).toBe('editor');

    member('bob').querySelector<HTMLButtonElement>('[data-testid="member-remove"]')!.click();
    await flush();
    expect(document.querySelector('[data-username="bob"]')).toBeNull();
    expect(calls).toEqual(['PUT bob viewer', 'PUT bob editor', 'DELETE bob']);
  });

  it('says clearly when the user is unknown (404) or the last owner would go (409)', async () => {
    const { api } = fakeWorkspaces([{ username: 'alice', role: 'owner' }]);
    openShareDialog({ workspaces: api, workspaceId: 'w', me: 'alice' });
    await flush();
    q<HTMLInputElement>('[data-testid="share-username"]').value = 'mallory';
    q<HTMLFormElement>('form.share-add').requestSubmit();
    await flush();
    expect(q('[data-testid="share-error"]').textContent).toBe('There is no user named “mallory”.');

    const select = member('alice').querySelector<HTMLSelectElement>('[data-testid="member-role"]')!;
    select.value = 'viewer';
    select.dispatchEvent(new Event('change'));
    await flush();
    expect(q('[data-testid="share-error"]').textContent).toContain('at least one owner');
    expect(member('alice').querySelector<HTMLSelectElement>('[data-testid="member-role"]')!.value).toBe('owner');
  });

  it('tells the IDE when the owner demoted themselves', async () => {
    const { api } = fakeWorkspaces([{ username: 'alice', role: 'owner' }, { username: 'carol', role: 'owner' }]);
    const seen: Array<Role | null> = [];
    openShareDialog({ workspaces: api, workspaceId: 'w', me: 'alice', onOwnRoleChanged: (r) => seen.push(r) });
    await flush();
    const select = member('alice').querySelector<HTMLSelectElement>('[data-testid="member-role"]')!;
    select.value = 'editor';
    select.dispatchEvent(new Event('change'));
    await flush();
    expect(seen).toEqual(['editor']);
  });
});
