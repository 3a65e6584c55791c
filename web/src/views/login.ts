import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, setAlert } from '../dom';

export function loginView(ctx: AppContext): View {
  ctx.setTitle('Sign in');
  const flash = ctx.takeFlash();
  const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const notice = flash ? h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'form-notice' }, flash) : null;
  const username = h('input', {
    id: 'login-username', name: 'username', type: 'text', autocomplete: 'username',
    required: true, autofocus: true, spellcheck: 'false', autocapitalize: 'none',
    'data-testid': 'login-username',
  });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, 'data-testid': 'login-password',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'login-submit' }, 'Sign in');

  let disposed = false;
  const form = h('form', {
    class: 'card auth-card', novalidate: true,
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      setAlert(error, null);
      if (!username.value.trim() || !password.value) {
        setAlert(error, 'Enter your username and password.');
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Signing in…';
      try {
        await ctx.api.auth.login(username.value.trim(), password.value);
        if (!disposed) ctx.navigate('/', { replace: true });
      } catch (err) {
        if (disposed) return;
        setAlert(error, errorMessage(err));
        password.select();
      } finally {
        submit.disabled = false;
        submit.textContent = 'Sign in';
      }
    },
  },
    h('h1', null, 'Sign in to WebIde'),
    notice,
    error,
    h('label', { for: 'login-username' }, 'Username'),
    username,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    submit,
    h('p', { class: 'muted' }, 'No account yet? ', h('a', { href: '/register', 'data-testid': 'register-link' }, 'Create one')),
  );

  return { el: h('section', { class: 'auth-page', 'data-testid': 'login-screen' }, form), dispose: () => { disposed = true; } };
}
