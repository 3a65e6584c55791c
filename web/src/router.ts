// History-API router. The gateway serves index.html for unknown non-API paths, so
// deep links like /w/<id> load the app, which then resolves the path here.

export type Params = Record<string, string>;

export interface Route<T = unknown> {
  /** '/', '/w/:id', '/docs/*' ('*' matches the rest, exposed as params['*']). */
  path: string;
  data: T;
}

export interface Match<T = unknown> {
  route: Route<T>;
  params: Params;
}

export function normalizePath(pathname: string): string {
  let p = pathname.split(/[?#]/, 1)[0] ?? '';
  if (!p.startsWith('/')) p = '/' + p;
  p = p.replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** Matches one pattern against a path; null if it does not match. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = normalizePath(pattern).split('/').slice(1);
  const have = normalizePath(pathname).split('/').slice(1);
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const seg = want[i]!;
    if (seg === '*') {
      params['*'] = have.slice(i).map(safeDecode).join('/');
      return params;
    }
    const actual = have[i];
    if (actual === undefined) return null;
    if (seg.startsWith(':')) {
      if (actual === '') return null;
      params[seg.slice(1)] = safeDecode(actual);
    } else if (seg !== actual) {
      return null;
    }
  }
  return have.length === want.length ? params : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** First route (in order) whose pattern matches. */
export function matchRoute<T>(routes: readonly Route<T>[], pathname: string): Match<T> | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

export interface RouterOptions<T> {
  routes: readonly Route<T>[];
  /** Called for the initial location and after every navigation. */
  onChange: (match: Match<T> | null, location: { pathname: string; search: string }) => void;
  window?: Window;
}

export class Router<T> {
  private readonly win: Window;
  private readonly onPopState = () => this.resolve();
  private readonly onClick = (e: MouseEvent) => this.interceptLink(e);

  constructor(private readonly options: RouterOptions<T>) {
    this.win = options.window ?? window;
  }

  start(): void {
    this.win.addEventListener('popstate', this.onPopState);
    this.win.document.addEventListener('click', this.onClick);
    this.resolve();
  }

  stop(): void {
    this.win.removeEventListener('popstate', this.onPopState);
    this.win.document.removeEventListener('click', this.onClick);
  }

  get pathname(): string {
    return this.win.location.pathname;
  }

  navigate(to: string, opts: { replace?: boolean } = {}): void {
    const url = new URL(to, this.win.location.href);
    if (url.origin !== this.win.location.origin) {
      this.win.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    const current = this.win.location.pathname + this.win.location.search + this.win.location.hash;
    if (opts.replace || target === current) this.win.history.replaceState(null, '', target);
    else this.win.history.pushState(null, '', target);
    this.resolve();
  }

  /** Re-runs matching for the current location (e.g. after sign-in state changed). */
  refresh(): void {
    this.resolve();
  }

  private resolve(): void {
    const { pathname, search } = this.win.location;
    this.options.onChange(matchRoute(this.options.routes, pathname), { pathname, search });
  }

  private interceptLink(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target as Element | null;
    const a = target?.closest?.('a');
    if (!a || !a.hasAttribute('href')) return;
    if ((a.getAttribute('target') ?? '_self') !== '_self' || a.hasAttribute('download')) return;
    if (a.getAttribute('rel')?.split(/\s+/).includes('external')) return;
    const url = new URL(a.getAttribute('href')!, this.win.location.href);
    if (url.origin !== this.win.location.origin) return;
    // API, WebSocket and health paths are served by the gateway, not the SPA.
    if (/^\/(api|ws|health)(\/|$)/.test(url.pathname)) return;
    e.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }
}
