import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, setAlert } from '../dom';

export function registerView(ctx: AppContext): View {
  ctx.setTitle('Create account');
  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const username = h('input', {
    id: 'register-username', name: 'username', type: 'text', autocomplete: 'username', required: true,
    autofocus: true, spellcheck: 'false', autocapitalize: 'none', maxlength: 32,
    'aria-describedby': 'register-username-hint', 'data-testid': 'register-username',
  });
  const password = h('input', {
    id: 'register-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true,
    maxlength: 128, 'aria-describedby': 'register-password-hint', 'data-testid': 'register-password',
  });
  const displayName = h('input', {
    id: 'register-displayname', name: 'displayName', type: 'text', autocomplete: 'name',
    'data-testid': 'register-displayname',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'register-submit' }, 'Create account');

  let disposed = false;
  const form = h('form', {
    class: 'card auth-card', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      setAlert(error, null);
      if (!username.value.trim() || !password.value) {
        setAlert(error, 'Choose a username and a password.');
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Creating account…';
      const name = username.value.trim();
      try {
        // Validation rules live on the server; its problem detail is shown as is.
        await ctx.api.auth.register(name, password.value, displayName.value);
      } catch (err) {
        if (!disposed) setAlert(error, errorMessage(err));
        submit.disabled = false;
        submit.textContent = 'Create account';
        return;
      }
      try {
        await ctx.api.auth.login(name, password.value);
        if (!disposed) ctx.navigate('/', { replace: true });
      } catch (err) {
        if (!disposed) setAlert(error, `Account created, but signing in failed: ${errorMessage(err)}`);
      } finally {
        submit.disabled = false;
        submit.textContent = 'Create account';
      }
    },
  },
    h('h1', null, 'Create a WebIde account'),
    error,
    h('label', { for: 'register-username' }, 'Username'),
    username,
    h('small', { id: 'register-username-hint', class: 'hint' }, '3–32 characters: a–z, 0–9, dot, underscore, hyphen.'),
    h('label', { for: 'register-password' }, 'Password'),
    password,
    h('small', { id: 'register-password-hint', class: 'hint' }, 'At least 10 characters.'),
    h('label', { for: 'register-displayname' }, 'Display name ', h('span', { class: 'muted' }, '(optional)')),
    displayName,
    submit,
    h('p', { class: 'muted' }, 'Already registered? ', h('a', { href: '/', 'data-testid': 'login-link' }, 'Sign in')),
  );

  return { el: h('section', { class: 'auth-page', 'data-testid': 'register-screen' }, form), dispose: () => { disposed = true; } };
}
