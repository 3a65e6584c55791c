import type { AppContext, View } from '../context';
import { h } from '../dom';
import { authForm } from './auth-form';

export function loginView(ctx: AppContext): View {
  ctx.setTitle('Sign in');
  const flash = ctx.takeFlash();
  const username = h('input', {
    id: 'login-username', name: 'username', type: 'text', autocomplete: 'username',
    required: true, autofocus: true, spellcheck: 'false', autocapitalize: 'none',
    'data-testid': 'login-username',
  });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, 'data-testid': 'login-password',
  });

  return authForm({
    name: 'login',
    heading: 'Sign in to WebIde',
    submitLabel: 'Sign in',
    busyLabel: 'Signing in…',
    missingMessage: 'Enter your username and password.',
    required: [username, password],
    body: [
      h('label', { for: 'login-username' }, 'Username'),
      username,
      h('label', { for: 'login-password' }, 'Password'),
      password,
    ],
    footer: h('p', { class: 'muted' }, 'No account yet? ', h('a', { href: '/register', 'data-testid': 'register-link' }, 'Create one')),
    submit: async (isDisposed) => {
      await ctx.api.auth.login(username.value.trim(), password.value);
      if (!isDisposed()) ctx.navigate('/', { replace: true });
    },
    onError: () => password.select(),
  }, flash ? h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'form-notice' }, flash) : null);
}
