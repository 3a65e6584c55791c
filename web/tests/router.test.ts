import { afterEach, describe, expect, it } from 'vitest';
import { Router, matchPath, matchRoute, normalizePath, type Route } from '../src/router';

describe('matchPath', () => {
  it('matches static paths, ignoring trailing and doubled slashes', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/register', '/register/')).toEqual({});
    expect(matchPath('/register', '//register')).toEqual({});
    expect(matchPath('/register', '/registers')).toBeNull();
    expect(matchPath('/', '/register')).toBeNull();
  });

  it('extracts and decodes parameters', () => {
    expect(matchPath('/w/:id', '/w/abc-123')).toEqual({ id: 'abc-123' });
    expect(matchPath('/w/:id', '/w/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/w/:id/files/:name', '/w/7/files/x.py')).toEqual({ id: '7', name: 'x.py' });
  });

  it('keeps a malformed escape as written instead of throwing', () => {
    expect(matchPath('/w/:id', '/w/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
  });

  it('rejects missing, empty and extra segments', () => {
    expect(matchPath('/w/:id', '/w')).toBeNull();
    expect(matchPath('/w/:id', '/w/')).toBeNull();
    expect(matchPath('/w/:id', '/w/1/extra')).toBeNull();
  });

  it('lets * swallow the rest', () => {
    expect(matchPath('*', '/anything/at/all')).toEqual({ '*': 'anything/at/all' });
    expect(matchPath('/docs/*', '/docs/a/b%2Fc')).toEqual({ '*': 'a/b/c' });
  });

  it('normalizes query and hash away', () => {
    expect(normalizePath('/w/1/?tab=x#top')).toBe('/w/1');
    expect(normalizePath('w/1')).toBe('/w/1');
  });
});

describe('matchRoute', () => {
  const routes: Route<string>[] = [
    { path: '/', data: 'home' },
    { path: '/w/new', data: 'new' },
    { path: '/w/:id', data: 'ide' },
    { path: '*', data: 'missing' },
  ];
  it('returns the first matching route in order', () => {
    expect(matchRoute(routes, '/')?.route.data).toBe('home');
    expect(matchRoute(routes, '/w/new')?.route.data).toBe('new');
    expect(matchRoute(routes, '/w/42')).toMatchObject({ route: { data: 'ide' }, params: { id: '42' } });
    expect(matchRoute(routes, '/nope')?.route.data).toBe('missing');
    expect(matchRoute(routes.slice(0, 3), '/nope')).toBeNull();
  });
});

describe('Router (history API)', () => {
  const routes: Route<string>[] = [
    { path: '/', data: 'home' },
    { path: '/w/:id', data: 'ide' },
  ];
  let router: Router<string> | undefined;
  afterEach(() => {
    router?.stop();
    document.body.replaceChildren();
    window.history.replaceState(null, '', '/');
  });

  function start() {
    const seen: { data: string | null; params: Record<string, string>; path: string }[] = [];
    router = new Router<string>({
      routes,
      onChange: (m, loc) => seen.push({ data: m?.route.data ?? null, params: m?.params ?? {}, path: loc.pathname }),
    });
    router.start();
    return seen;
  }

  it('resolves the initial location, then pushes history entries on navigate', () => {
    window.history.replaceState(null, '', '/w/first');
    const seen = start();
    expect(seen).toEqual([{ data: 'ide', params: { id: 'first' }, path: '/w/first' }]);

    const before = window.history.length;
    router!.navigate('/w/second');
    expect(window.location.pathname).toBe('/w/second');
    expect(window.history.length).toBe(before + 1);
    expect(seen.at(-1)).toEqual({ data: 'ide', params: { id: 'second' }, path: '/w/second' });

    router!.navigate('/', { replace: true });
    expect(window.location.pathname).toBe('/');
    expect(window.history.length).toBe(before + 1);
    expect(seen.at(-1)?.data).toBe('home');
  });

  it('re-resolves on popstate', () => {
    const seen = start();
    window.history.pushState(null, '', '/w/back');
    expect(seen).toHaveLength(1);
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ data: 'ide', params: { id: 'back' } });
  });

  function clickLink(href: string, init: MouseEventInit = {}, attrs: Record<string, string> = {}) {
    const a = document.createElement('a');
    a.setAttribute('href', href);
    for (const [k, v] of Object.entries(attrs)) a.setAttribute(k, v);
    // happy-dom follows a link (via its `href` property) while the click is still
    // bubbling, before document listeners run; hide the property from it so only the
    // router acts. The router reads the attribute, which stays as set.
    Object.defineProperty(a, 'href', { get: () => '' });
    const inner = document.createElement('span');
    a.appendChild(inner);
    document.body.appendChild(a);
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
    inner.dispatchEvent(event);
    return event;
  }

  it('intercepts plain clicks on same-origin links', () => {
    const seen = start();
    const event = clickLink('/w/linked');
    expect(event.defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe('/w/linked');
    expect(seen.at(-1)).toMatchObject({ data: 'ide', params: { id: 'linked' } });
  });

  it('leaves modified clicks, new-tab links, API paths and other origins to the browser', () => {
    const seen = start();
    const cases: [string, MouseEventInit, Record<string, string>][] = [
      ['/w/x', { ctrlKey: true }, {}],
      ['/w/x', { metaKey: true }, {}],
      ['/w/x', { button: 1 }, {}],
      ['/w/x', {}, { target: '_blank' }],
      ['/w/x', {}, { download: '' }],
      ['/api/auth/jwks', {}, {}],
      ['/health', {}, {}],
      ['https://example.org/w/x', {}, {}],
    ];
    for (const [href, init, attrs] of cases) {
      const event = clickLink(href, init, attrs);
      const label = `${href} ${JSON.stringify(init)} ${JSON.stringify(attrs)}`;
      expect(event.defaultPrevented, label).toBe(false);
      expect(seen, label).toHaveLength(1);
    }
    expect(window.location.pathname).toBe('/');
  });
});
