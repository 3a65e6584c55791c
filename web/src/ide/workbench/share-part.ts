// The Share button and its dialog (owners only). The dialog itself is ../share.
import type { Role, WorkspacesApi } from '../../api';
import { h } from '../../dom';
import { openShareDialog } from '../share/share-dialog';

export interface SharePartOptions {
  workspaces: Pick<WorkspacesApi, 'get' | 'setMember' | 'removeMember'>;
  workspaceId: string;
  /** The person lost access to the workspace. */
  onAccessLost(): void;
  /** The person's own role changed: editing rights are fixed when the editor opens, so the screen mounts anew. */
  onRoleChanged(): void;
}

export interface SharePart {
  readonly button: HTMLButtonElement;
  /** The role in this workspace (the button shows for owners) and, once known, the username. */
  setAccess(role: Role, me?: string | null): void;
  open(): void;
  dispose(): void;
}

export function createSharePart(options: SharePartOptions): SharePart {
  let role: Role = 'viewer';
  let me: string | null = null;
  let dialog: ReturnType<typeof openShareDialog> | null = null;

  const button = h('button', {
    type: 'button', class: 'btn btn-quiet', 'data-testid': 'share-button', hidden: true, title: 'Manage who can use this workspace',
    onclick: () => open(),
  }, 'Share');

  function open(): void {
    if (role !== 'owner' || dialog) return;
    dialog = openShareDialog({
      workspaces: options.workspaces, workspaceId: options.workspaceId, me,
      onOwnRoleChanged: (next) => {
        if (next === null) options.onAccessLost();
        else if (next !== role) {
          dialog?.close();
          options.onRoleChanged();
        }
      },
    });
    void dialog.closed.then(() => (dialog = null));
  }

  return {
    button,
    setAccess(nextRole, nextMe) {
      role = nextRole;
      if (nextMe !== undefined) me = nextMe;
      button.hidden = role !== 'owner';
    },
    open,
    dispose: () => dialog?.close(),
  };
}
