import { ApiError, errorMessage, type WorkspaceSummary } from '../api';
import type { AppContext, View } from '../context';
import { h, setAlert } from '../dom';

export function workspacesView(ctx: AppContext): View {
  ctx.setTitle('Workspaces');
  const controller = new AbortController();
  let workspaces: WorkspaceSummary[] = [];

  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'workspace-error', hidden: true });
  const list = h('ul', { class: 'workspace-list', 'data-testid': 'workspace-list', 'aria-busy': 'true' });
  const status = h('p', { class: 'muted', 'data-testid': 'workspace-status' }, 'Loading workspaces…');

  const nameInput = h('input', {
    id: 'workspace-name', name: 'name', type: 'text', required: true, placeholder: 'New workspace name',
    maxlength: 200, 'data-testid': 'workspace-name', 'aria-label': 'Workspace name',
  });
  const createButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'workspace-create' }, 'Create workspace');
  const createForm = h('form', {
    class: 'workspace-create', 'data-testid': 'workspace-create-form', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      const name = nameInput.value.trim();
      setAlert(error, null);
      if (!name) {
        setAlert(error, 'Give the workspace a name.');
        nameInput.focus();
        return;
      }
      createButton.disabled = true;
      try {
        const created = await ctx.api.workspaces.create(name);
        if (controller.signal.aborted) return;
        nameInput.value = '';
        workspaces = [...workspaces.filter((w) => w.id !== created.id), created];
        render();
      } catch (err) {
        if (!controller.signal.aborted) setAlert(error, errorMessage(err));
      } finally {
        createButton.disabled = false;
      }
    },
  }, nameInput, createButton);

  function render(): void {
    list.setAttribute('aria-busy', 'false');
    const sorted = [...workspaces].sort((a, b) => a.name.localeCompare(b.name));
    list.replaceChildren(...sorted.map(item));
    status.textContent = sorted.length === 0 ? 'No workspaces yet. Create one above.' : '';
    status.hidden = sorted.length > 0;
  }

  function item(ws: WorkspaceSummary): HTMLLIElement {
    const href = `/w/${encodeURIComponent(ws.id)}`;
    const actions = h('span', { class: 'workspace-actions' });
    const li = h('li', { class: 'workspace-item', 'data-testid': 'workspace-item', 'data-workspace-id': ws.id },
      h('a', { class: 'workspace-name', href, 'data-testid': 'workspace-link' }, ws.name),
      h('span', { class: `role role-${ws.role}`, 'data-testid': 'workspace-role' }, ws.role),
      actions,
    );

    const showDefault = () => {
      const open = h('a', { class: 'btn', href, 'data-testid': 'workspace-open' }, 'Open');
      if (ws.role === 'owner') {
        actions.replaceChildren(
          open,
          h('button', { type: 'button', class: 'btn btn-danger-quiet', 'data-testid': 'workspace-delete', onclick: showConfirm }, 'Delete'),
        );
      } else {
        actions.replaceChildren(open);
      }
    };
    // Two-step delete instead of window.confirm(): no modal to block automation.
    const showConfirm = () => {
      const confirm = h('button', {
        type: 'button', class: 'btn btn-danger', 'data-testid': 'workspace-delete-confirm',
        onclick: async () => {
          confirm.disabled = true;
          setAlert(error, null);
          try {
            await ctx.api.workspaces.delete(ws.id);
          } catch (err) {
            // Already gone is as good as deleted.
            if (!(err instanceof ApiError && err.status === 404)) {
              if (!controller.signal.aborted) {
                setAlert(error, errorMessage(err));
                showDefault();
              }
              return;
            }
          }
          if (controller.signal.aborted) return;
          workspaces = workspaces.filter((w) => w.id !== ws.id);
          render();
        },
      }, `Delete “${ws.name}”`);
      actions.replaceChildren(
        confirm,
        h('button', { type: 'button', class: 'btn', 'data-testid': 'workspace-delete-cancel', onclick: showDefault }, 'Cancel'),
      );
      confirm.focus();
    };
    showDefault();
    return li;
  }

  async function load(): Promise<void> {
    try {
      workspaces = await ctx.api.workspaces.list(controller.signal);
      if (!Array.isArray(workspaces)) workspaces = [];
      render();
    } catch (err) {
      if (controller.signal.aborted) return;
      list.setAttribute('aria-busy', 'false');
      status.textContent = '';
      status.hidden = true;
      setAlert(error, `Could not load workspaces: ${errorMessage(err)}`);
    }
  }
  void load();

  const el = h('section', { class: 'page workspaces-page', 'data-testid': 'workspaces-screen' },
    h('h1', null, 'Workspaces'),
    createForm,
    error,
    status,
    list,
  );
  return { el, dispose: () => controller.abort() };
}
