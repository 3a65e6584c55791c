// In-page modal dialogs. window.prompt/confirm would block the page (and automation), cannot be
// styled, and cannot show an error next to the field the way a rename that failed should.
import { errorMessage } from '../api';
import { h, setAlert } from '../dom';

export interface Modal {
  el: HTMLElement;
  body: HTMLElement;
  close(): void;
  readonly closed: Promise<void>;
}

/** A modal panel over the page: Escape or a click on the backdrop closes it, focus returns after. */
export function openModal(title: string, options: { testId?: string; wide?: boolean } = {}): Modal {
  const previousFocus = document.activeElement as HTMLElement | null;
  const titleId = `modal-title-${Math.random().toString(36).slice(2)}`;
  const body = h('div', { class: 'modal-body' });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const panel = h('div', {
    class: options.wide ? 'modal modal-wide' : 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
    'data-testid': options.testId ?? 'dialog',
  },
    h('div', { class: 'modal-header' },
      h('h2', { id: titleId, class: 'modal-title' }, title),
      h('button', { type: 'button', class: 'btn btn-quiet modal-x', 'aria-label': 'Close', 'data-testid': 'dialog-close', onclick: () => close() }, '×'),
    ),
    body,
  );
  const backdrop = h('div', {
    class: 'modal-backdrop',
    onmousedown: (e: MouseEvent) => {
      if (e.target === backdrop) close();
    },
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      } else if (e.key === 'Tab') {
        trapFocus(panel, e);
      }
    },
  }, panel);
  let isOpen = true;
  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    backdrop.remove();
    previousFocus?.focus?.();
    resolveClosed();
  }
  document.body.appendChild(backdrop);
  return { el: panel, body, close, closed };
}

function trapFocus(panel: HTMLElement, e: KeyboardEvent): void {
  const focusable = [...panel.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex="0"]')]
    .filter((el) => !(el as HTMLButtonElement).disabled && el.offsetParent !== null);
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export interface PromptOptions {
  label: string;
  value?: string;
  okLabel?: string;
  /** Part of `value` to select at first (e.g. the name without its extension). */
  select?: [number, number];
  /** Runs the action; a thrown error is shown in the dialog and it stays open. */
  submit(value: string): Promise<void> | void;
  validate?(value: string): string | null;
}

/** Asks for one line of text and runs `submit` with it. Resolves true if submitted. */
export function promptDialog(title: string, options: PromptOptions): Promise<boolean> {
  const modal = openModal(title, { testId: 'prompt-dialog' });
  const input = h('input', { type: 'text', class: 'modal-input', 'data-testid': 'dialog-input', 'aria-label': options.label, spellcheck: false });
  input.value = options.value ?? '';
  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'dialog-error', hidden: true });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'dialog-ok' }, options.okLabel ?? 'OK');
  let submitted = false;
  const form = h('form', {
    class: 'modal-form', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      const value = input.value.trim();
      const invalid = options.validate?.(value) ?? (value === '' ? 'Enter a value.' : null);
      if (invalid) {
        setAlert(error, invalid);
        input.focus();
        return;
      }
      ok.disabled = true;
      setAlert(error, null);
      try {
        await options.submit(value);
        submitted = true;
        modal.close();
      } catch (err) {
        setAlert(error, errorMessage(err));
        input.focus();
      } finally {
        ok.disabled = false;
      }
    },
  },
    h('label', { class: 'modal-label' }, options.label, input),
    error,
    h('div', { class: 'modal-actions' },
      h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onclick: () => modal.close() }, 'Cancel'),
      ok,
    ),
  );
  modal.body.appendChild(form);
  input.focus();
  if (options.select) input.setSelectionRange(options.select[0], options.select[1]);
  else input.select();
  return modal.closed.then(() => submitted);
}

/** A yes/no question; resolves true when confirmed. */
export function confirmDialog(title: string, message: string, okLabel = 'OK', danger = false): Promise<boolean> {
  const modal = openModal(title, { testId: 'confirm-dialog' });
  let confirmed = false;
  const ok = h('button', {
    type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', 'data-testid': 'dialog-ok',
    onclick: () => {
      confirmed = true;
      modal.close();
    },
  }, okLabel);
  modal.body.append(
    h('p', { class: 'modal-message' }, message),
    h('div', { class: 'modal-actions' },
      h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onclick: () => modal.close() }, 'Cancel'),
      ok,
    ),
  );
  ok.focus();
  return modal.closed.then(() => confirmed);
}
