import { ApiClient, TOKEN_STORAGE_KEY, createApi, type FetchLike } from './api';
import type { AppContext, View } from './context';
import { h } from './dom';
import { createStatusFooter } from './health/footer';
import { Router, type Params, type Route } from './router';
import { loginView } from './views/login';
import { notFoundView } from './views/not-found';
import { registerView } from './views/register';
import { workspacesView } from './views/workspaces';

interface RouteData {
  /** 'required': needs a token; 'guest': only when signed out; 'any': either. */
  access: 'any' | 'required' | 'guest';
  load(ctx: AppContext, params: Params): View | Promise<View>;
}

export const routes: readonly Route<RouteData>[] = [
  {
    path: '/',
    data: {
      access: 'any',
      load: (ctx) => (ctx.api.client.tokens.hasTokens() ? workspacesView(ctx) : loginView(ctx)),
    },
  },
  { path: '/login', data: { access: 'guest', load: loginView } },
  { path: '/register', data: { access: 'guest', load: registerView } },
  {
    path: '/w/:id',
    data: {
      access: 'required',
      // Separate chunk: the IDE (and later Monaco, xterm, ot.js) loads only here.
      load: async (ctx, params) => (await import('./ide')).mountIde(ctx, params.id ?? ''),
    },
  },
  { path: '*', data: { access: 'any', load: notFoundView } },
];

export interface AppOptions {
  fetch?: FetchLike;
  healthIntervalMs?: number;
}

/** Builds the shell (top bar, view area, status footer) inside `root` and starts routing. */
export function startApp(root: HTMLElement, options: AppOptions = {}): { router: Router<RouteData>; dispose(): void } {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let flash: string | null = null;
  // Several requests can fail together when a session ends; show the login screen once.
  let expiryHandled = false;

  const client = new ApiClient({
    fetch: fetchImpl,
    onSessionExpired: () => {
      if (expiryHandled) return;
      expiryHandled = true;
      flash = 'Your session has ended. Please sign in again.';
      router.navigate('/', { replace: true });
    },
  });
  const api = createApi(client);

  const userLabel = h('span', { class: 'topbar-user', 'data-testid': 'current-user' });
  const logoutButton = h('button', {
    type: 'button', class: 'btn btn-quiet', 'data-testid': 'logout', hidden: true,
    onclick: async () => {
      logoutButton.disabled = true;
      await api.auth.logout();
      logoutButton.disabled = false;
      router.navigate('/', { replace: true });
    },
  }, 'Sign out');
  const viewHost = h('main', { class: 'view', id: 'view' });
  const footer = createStatusFooter(fetchImpl, options.healthIntervalMs);
  root.replaceChildren(
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '⟨/⟩'), 'WebIde'),
      h('span', { class: 'topbar-spacer' }),
      userLabel,
      logoutButton,
    ),
    viewHost,
    footer.el,
  );

  let current: View | null = null;
  let generation = 0;
  let shownUserFor: string | null = null;

  const ctx: AppContext = {
    api,
    navigate: (to, opts) => router.navigate(to, opts),
    takeFlash: () => {
      const f = flash;
      flash = null;
      return f;
    },
    setTitle: (title) => {
      document.title = title ? `${title} · WebIde` : 'WebIde';
    },
  };

  function mount(view: View): void {
    current?.dispose?.();
    current = view;
    viewHost.replaceChildren(view.el);
  }

  function updateUser(): void {
    const tokens = client.tokens.get();
    logoutButton.hidden = !tokens;
    if (!tokens) {
      shownUserFor = null;
      userLabel.textContent = '';
      return;
    }
    if (shownUserFor === tokens.accessToken) return;
    shownUserFor = tokens.accessToken;
    api.auth.me().then(
      (me) => {
        if (client.tokens.hasTokens()) userLabel.textContent = me.displayName || me.username;
      },
      () => {
        /* not fatal: the name is decoration */
      },
    );
  }

  const router = new Router<RouteData>({
    routes,
    onChange: (match) => {
      const gen = ++generation;
      updateUser();
      const data = match?.route.data;
      if (!data) return;
      const signedIn = client.tokens.hasTokens();
      if (signedIn) expiryHandled = false;
      if (data.access === 'required' && !signedIn) {
        flash = flash ?? 'Sign in to continue.';
        router.navigate('/', { replace: true });
        return;
      }
      if (data.access === 'guest' && signedIn) {
        router.navigate('/', { replace: true });
        return;
      }
      let result: View | Promise<View>;
      try {
        result = data.load(ctx, match.params);
      } catch (err) {
        result = Promise.reject(err);
      }
      if (!(result instanceof Promise)) {
        mount(result);
        return;
      }
      viewHost.setAttribute('aria-busy', 'true');
      result.then(
        (view) => {
          if (gen !== generation) view.dispose?.();
          else mount(view);
        },
        (err: unknown) => {
          if (gen !== generation) return;
          console.error('Failed to load screen', err);
          mount({
            el: h('section', { class: 'page', 'data-testid': 'load-error' },
              h('h1', null, 'This screen failed to load'),
              h('p', null, 'The app may have been updated. ',
                h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Reload')),
            ),
          });
        },
      ).finally(() => {
        if (gen === generation) viewHost.removeAttribute('aria-busy');
      });
    },
  });

  // Another tab signed in or out: re-evaluate the current screen.
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === TOKEN_STORAGE_KEY) {
      const signedIn = client.tokens.hasTokens();
      if (!signedIn || router.pathname === '/' || router.pathname === '/login' || router.pathname === '/register') {
        router.refresh();
      }
    }
  };
  window.addEventListener('storage', onStorage);

  router.start();
  return {
    router,
    dispose: () => {
      router.stop();
      footer.dispose();
      current?.dispose?.();
      window.removeEventListener('storage', onStorage);
    },
  };
}
