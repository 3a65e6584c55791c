// The IDE screen. Loaded lazily (import('./ide')) so the editor stack it will grow
// (Monaco, xterm, ot.js) never weighs on the sign-in and workspace-list screens.
// For now it is an honest placeholder: it shows which workspace was opened.
import { ApiError, errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h } from '../dom';

export function mountIde(ctx: AppContext, workspaceId: string): View {
  ctx.setTitle('Workspace');
  const controller = new AbortController();
  const title = h('h1', { 'data-testid': 'ide-workspace-name' }, 'Loading workspace…');
  const meta = h('p', { class: 'muted', 'data-testid': 'ide-workspace-meta' });
  const body = h('div', { class: 'ide-placeholder', 'data-testid': 'ide-placeholder' });

  const el = h('section', { class: 'page ide-page', 'data-testid': 'ide-screen', 'data-workspace-id': workspaceId },
    h('p', null, h('a', { href: '/', 'data-testid': 'ide-back' }, '← All workspaces')),
    title,
    meta,
    body,
  );

  ctx.api.workspaces.get(workspaceId, controller.signal).then(
    (ws) => {
      if (controller.signal.aborted) return;
      ctx.setTitle(ws.name);
      title.textContent = ws.name;
      const members = Array.isArray(ws.members) ? ws.members.length : 0;
      meta.textContent = `Your role: ${ws.role} · ${members} member${members === 1 ? '' : 's'}`;
      body.replaceChildren(
        h('p', null, 'The code editor is coming in a later release of WebIde.'),
        h('p', { class: 'muted' }, 'This screen does not edit, run or share files yet.'),
      );
    },
    (err: unknown) => {
      if (controller.signal.aborted) return;
      if (err instanceof ApiError && err.status === 404) {
        ctx.setTitle('Workspace not found');
        title.textContent = 'Workspace not found';
        meta.textContent = 'It does not exist, or you are not a member of it.';
      } else {
        title.textContent = 'Could not open the workspace';
        meta.textContent = errorMessage(err);
      }
      el.dataset.error = 'true';
    },
  );

  return { el, dispose: () => controller.abort() };
}
