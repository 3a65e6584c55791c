import { errorMessage } from '../api';
import type { View } from '../context';
import { type Child, h, setAlert } from '../dom';

export interface AuthFormOptions {
  /** `data-testid` prefix of the screen and its submit button (`login`, `register`). */
  name: string;
  heading: string;
  submitLabel: string;
  busyLabel: string;
  /** Shown instead of calling `submit` when the required fields are empty. */
  missingMessage: string;
  required: HTMLInputElement[];
  body: Child[];
  footer: Child;
  /**
   * Does the work; a thrown error is shown in the form. `isDisposed` says whether the
   * user has left the screen meanwhile (then nothing may be navigated or shown).
   */
  submit: (isDisposed: () => boolean) => Promise<void>;
  onError?: () => void;
}

/** The sign-in and sign-up screens' shared frame: one error line, a busy submit button. */
export function authForm(options: AuthFormOptions, notice: Child = null): View {
  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${options.name}-submit` }, options.submitLabel);

  let disposed = false;
  const isDisposed = () => disposed;
  const form = h('form', {
    class: 'card auth-card', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      setAlert(error, null);
      if (options.required.some((input) => !input.value.trim())) {
        setAlert(error, options.missingMessage);
        return;
      }
      submit.disabled = true;
      submit.textContent = options.busyLabel;
      try {
        await options.submit(isDisposed);
      } catch (err) {
        if (disposed) return;
        setAlert(error, errorMessage(err));
        options.onError?.();
      } finally {
        submit.disabled = false;
        submit.textContent = options.submitLabel;
      }
    },
  },
    h('h1', null, options.heading),
    notice,
    error,
    options.body,
    submit,
    options.footer,
  );

  return {
    el: h('section', { class: 'auth-page', 'data-testid': `${options.name}-screen` }, form),
    dispose: () => { disposed = true; },
  };
}
