import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h } from '../dom';
import { authForm } from './auth-form';

export function registerView(ctx: AppContext): View {
  ctx.setTitle('Create account');
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

  return authForm({
    name: 'register',
    heading: 'Create a WebIde account',
    submitLabel: 'Create account',
    busyLabel: 'Creating account…',
    missingMessage: 'Choose a username and a password.',
    required: [username, password],
    body: [
      h('label', { for: 'register-username' }, 'Username'),
      username,
      h('small', { id: 'register-username-hint', class: 'hint' }, '3–32 characters: a–z, 0–9, dot, underscore, hyphen.'),
      h('label', { for: 'register-password' }, 'Password'),
      password,
      h('small', { id: 'register-password-hint', class: 'hint' }, 'At least 10 characters.'),
      h('label', { for: 'register-displayname' }, 'Display name ', h('span', { class: 'muted' }, '(optional)')),
      displayName,
    ],
    footer: h('p', { class: 'muted' }, 'Already registered? ', h('a', { href: '/', 'data-testid': 'login-link' }, 'Sign in')),
    submit: async (isDisposed) => {
      const name = username.value.trim();
      // Validation rules live on the server; its problem detail is shown as is.
      await ctx.api.auth.register(name, password.value, displayName.value);
      try {
        await ctx.api.auth.login(name, password.value);
      } catch (err) {
        throw new Error(`Account created, but signing in failed: ${errorMessage(err)}`, { cause: err });
      }
      if (!isDisposed()) ctx.navigate('/', { replace: true });
    },
  });
}
