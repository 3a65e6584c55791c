// The owner's Share dialog (docs/api.md §2): the members with their roles, a form to add someone by
// username, a role picker per member and a Remove button. Every change goes to the server first
// and the list is read back from it, so what the dialog shows is what the server holds.
import { ApiError, errorMessage, type Role, type WorkspaceDetail, type WorkspacesApi } from '../../api';
import { h, setAlert } from '../../dom';
import { openModal } from '../dialogs';

export interface ShareDialogOptions {
  workspaces: Pick<WorkspacesApi, 'get' | 'setMember' | 'removeMember'>;
  workspaceId: string;
  /** The signed-in user's username, to mark "you" (and notice a change of one's own role). */
  me: string | null;
  /** The caller's own role changed (demoted themselves, say): the IDE adapts. */
  onOwnRoleChanged?(role: Role | null): void;
}

const ROLES: Role[] = ['viewer', 'editor', 'owner'];
const ROLE_HINTS: Record<Role, string> = {
  viewer: 'can read files, follow edits and run code',
  editor: 'can also change files and edit',
  owner: 'can also manage members and delete the workspace',
};

export function openShareDialog(options: ShareDialogOptions): { close(): void; closed: Promise<void> } {
  const { workspaces, workspaceId } = options;
  const modal = openModal('Share workspace', { testId: 'share-dialog', wide: true });
  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'share-error', hidden: true });
  const info = h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'share-info', hidden: true });
  const list = h('ul', { class: 'member-list', 'data-testid': 'member-list', 'aria-busy': 'true' });

  const username = h('input', {
    type: 'text', class: 'share-username', 'data-testid': 'share-username', placeholder: 'Username',
    'aria-label': 'Username to add', autocomplete: 'off', spellcheck: false,
  });
  const role = roleSelect('viewer', 'share-role', 'Role for the new member');
  const addButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'share-add' }, 'Add');
  const form = h('form', {
    class: 'share-add', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      const name = username.value.trim();
      if (!name) {
        show(error, 'Enter the username of the person to add.');
        username.focus();
        return;
      }
      addButton.disabled = true;
      const chosen = role.value as Role;
      const ok = await change(() => workspaces.setMember(workspaceId, name, chosen), name);
      addButton.disabled = false;
      if (ok) {
        username.value = '';
        show(info, `${name} is now ${article(chosen)} ${chosen}.`);
      }
      username.focus();
    },
  }, username, role, addButton);

  modal.body.append(
    h('p', { class: 'muted share-hint' }, 'People you add see this workspace in their list. ',
      ...ROLES.map((r) => h('span', { class: 'share-role-hint' }, h('strong', null, cap(r)), ` ${ROLE_HINTS[r]}. `))),
    form,
    error,
    info,
    h('h3', { class: 'share-subtitle' }, 'Members'),
    list,
  );
  username.focus();

  function show(el: HTMLElement, message: string | null): void {
    setAlert(error, null);
    setAlert(info, null);
    setAlert(el, message);
  }

  /** Runs a membership change, then reloads the list. Returns whether it worked. */
  async function change(action: () => Promise<void>, who: string): Promise<boolean> {
    show(error, null);
    try {
      await action();
    } catch (err) {
      show(error, explain(err, who));
      await load();
      return false;
    }
    await load();
    return true;
  }

  function render(ws: WorkspaceDetail): void {
    list.setAttribute('aria-busy', 'false');
    const members = [...ws.members].sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role) || a.username.localeCompare(b.username));
    list.replaceChildren(...members.map((m) => {
      const isMe = options.me !== null && m.username.toLowerCase() === options.me.toLowerCase();
      const select = roleSelect(m.role, 'member-role', `Role of ${m.username}`);
      select.addEventListener('change', () => {
        const next = select.value as Role;
        void change(() => workspaces.setMember(workspaceId, m.username, next), m.username).then((ok) => {
          if (ok) show(info, `${m.username} is now ${article(next)} ${next}.`);
          // Refused: the picker goes back to what the server holds (a reload may be slower).
          else if (select.isConnected) select.value = m.role;
        });
      });
      return h('li', { class: 'member', 'data-testid': 'member', 'data-username': m.username, 'data-role': m.role },
        h('span', { class: 'member-avatar', 'aria-hidden': 'true' }, m.username.slice(0, 1).toUpperCase()),
        h('span', { class: 'member-name' }, m.username, isMe ? h('span', { class: 'muted' }, ' (you)') : null),
        select,
        h('button', {
          type: 'button', class: 'btn btn-danger-quiet', 'data-testid': 'member-remove', 'aria-label': `Remove ${m.username}`,
          onclick: () => {
            void change(() => workspaces.removeMember(workspaceId, m.username), m.username).then((ok) => {
              if (ok) show(info, `${m.username} no longer has access.`);
            });
          },
        }, 'Remove'),
      );
    }));
    if (options.me !== null) {
      const mine = ws.members.find((m) => m.username.toLowerCase() === options.me!.toLowerCase());
      if ((mine?.role ?? null) !== 'owner') options.onOwnRoleChanged?.(mine?.role ?? null);
    }
  }

  async function load(): Promise<void> {
    try {
      render(await workspaces.get(workspaceId));
    } catch (err) {
      list.setAttribute('aria-busy', 'false');
      if (err instanceof ApiError && err.status === 404) {
        // Removed oneself, or the workspace is gone.
        options.onOwnRoleChanged?.(null);
        modal.close();
        return;
      }
      show(error, `Could not load the members: ${errorMessage(err)}`);
    }
  }
  void load();

  return { close: modal.close, closed: modal.closed };
}

function roleSelect(value: Role, testId: string, label: string): HTMLSelectElement {
  const select = h('select', { class: 'role-select', 'data-testid': testId, 'aria-label': label },
    ...ROLES.map((r) => h('option', { value: r, selected: r === value }, cap(r))));
  select.value = value;
  return select;
}

/** The server's refusals in words a person acts on. */
export function explain(err: unknown, who: string): string {
  if (err instanceof ApiError) {
    switch (err.status) {
      case 404:
        return `There is no user named “${who}”.`;
      case 409:
        return 'A workspace needs at least one owner: make someone else an owner first.';
      case 403:
        return 'Only owners can manage members.';
      case 400:
        return `That did not work: ${err.userMessage}`;
    }
  }
  return errorMessage(err);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function article(role: Role): string {
  return role === 'owner' || role === 'editor' ? 'an' : 'a';
}
