// The IDE's header: back link, workspace name and role, the places where the editing core
// shows presence and the connection state, and the buttons other parts bring (share, run).
import type { WorkspaceDetail } from '../../api';
import { h } from '../../dom';

export interface HeaderPart {
  readonly el: HTMLElement;
  /** Where the editing core lists the people in the open document. */
  readonly presenceHost: HTMLElement;
  /** Where the editing core shows the connection state. */
  readonly statusHost: HTMLElement;
  /** What the title says (the workspace's name once loaded). */
  title(): string;
  showWorkspace(workspace: Pick<WorkspaceDetail, 'name' | 'role'>): void;
  /** Replaces the title with why the workspace cannot be shown. */
  showProblem(message: string): void;
}

export function createHeaderPart(actions: readonly HTMLElement[]): HeaderPart {
  const title = h('h1', { class: 'ide-title', 'data-testid': 'ide-workspace-name' }, 'Loading workspace…');
  const roleBadge = h('span', { class: 'role', 'data-testid': 'ide-role', hidden: true });
  const presenceHost = h('div', { class: 'presence', 'data-testid': 'presence' });
  const statusHost = h('span', { class: 'connection-status', 'data-testid': 'connection-status', 'data-state': 'offline' }, 'offline');
  const el = h('header', { class: 'ide-header' },
    h('a', { href: '/', class: 'ide-back', 'data-testid': 'ide-back', title: 'All workspaces', 'aria-label': 'Back to the workspaces' }, '←'),
    title, roleBadge,
    h('span', { class: 'spacer' }),
    presenceHost, statusHost, ...actions);
  return {
    el,
    presenceHost,
    statusHost,
    title: () => title.textContent ?? '',
    showWorkspace(workspace) {
      title.textContent = workspace.name;
      roleBadge.textContent = workspace.role;
      roleBadge.className = `role role-${workspace.role}`;
      roleBadge.hidden = false;
    },
    showProblem(message) {
      title.textContent = message;
    },
  };
}
