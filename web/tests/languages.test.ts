// The platform's languages in the web app: GET /api/languages asked once per page load, a
// failure that leaves the IDE working, and the lookups by file name the editor and checks use.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, TokenStore, createApi } from '../src/api';
import { LanguageCatalog } from '../src/ide/languages';
import { LANGUAGES } from './languages-fixture';
import { MemoryStorage, json, problem, scriptedFetch } from './helpers';

function api(fetch: ReturnType<typeof scriptedFetch>['fetch']) {
  return createApi(new ApiClient({ fetch, tokens: new TokenStore(new MemoryStorage()) }));
}

describe('LanguagesApi', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks the server once, without a token, however often the list is wanted', async () => {
    const gw = scriptedFetch([() => json(200, LANGUAGES)]);
    const languages = api(gw.fetch).languages;
    const [first, second] = await Promise.all([languages.list(), languages.list()]);
    expect(await languages.list()).toBe(first);
    expect(second).toBe(first);
    expect(first.map((l) => l.name)).toEqual(['python', 'javascript', 'typescript', 'c', 'cpp', 'java', 'go', 'rust', 'bash']);
    expect(gw.calls).toHaveLength(1);
    expect(gw.calls[0]!.url).toBe('/api/languages');
    expect(gw.calls[0]!.headers.authorization).toBeUndefined();
  });

  it('answers no languages when the server fails, and asks again the next time', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const gw = scriptedFetch([() => problem(503, 'Service Unavailable'), () => json(200, LANGUAGES)]);
    const languages = api(gw.fetch).languages;
    expect(await languages.list()).toEqual([]);
    expect(await languages.list()).toHaveLength(9);
    expect(gw.calls).toHaveLength(2);
  });

  it('leaves out entries that are not languages', async () => {
    const gw = scriptedFetch([() => json(200, [LANGUAGES[0], { name: 'half' }, null, 'go'])]);
    expect((await api(gw.fetch).languages.list()).map((l) => l.name)).toEqual(['python']);
  });
});

describe('LanguageCatalog', () => {
  const catalog = new LanguageCatalog(LANGUAGES);

  it('finds a file\'s language by its extension, in any case', () => {
    expect(catalog.languageOf('src/app.TS')?.name).toBe('typescript');
    expect(catalog.editorLanguage('main.py')).toBe('python');
    expect(catalog.editorLanguage('run.sh')).toBe('shell');
    expect(catalog.editorLanguage('lib/x.cc')).toBe('cpp');
  });

  it('has no language for other files: the editor decides, and they are not checked', () => {
    for (const path of ['README.md', 'Makefile', '.py', 'data.json', 'notes', 'dir.py/file']) {
      expect(catalog.editorLanguage(path)).toBeUndefined();
      expect(catalog.isCheckable(path)).toBe(false);
    }
    for (const path of ['a.py', 'b/c.ts', 'x.JS', 'm.cpp', 'M.java', 'g.go', 'r.rs', 's.sh', 'h.c']) expect(catalog.isCheckable(path)).toBe(true);
  });

  it('knows nothing when the list could not be loaded', () => {
    const empty = new LanguageCatalog([]);
    expect(empty.editorLanguage('main.py')).toBeUndefined();
    expect(empty.isCheckable('main.py')).toBe(false);
    expect(empty.serverLanguage('main.py')).toBeUndefined();
  });

  it('names the language for /ws/lsp only when it has a language server', () => {
    const mixed = new LanguageCatalog(LANGUAGES.map((l) => (l.name === 'rust' ? { ...l, languageServer: false } : l)));
    expect(mixed.serverLanguage('src/main.py')).toBe('python');
    expect(mixed.serverLanguage('run.sh')).toBe('bash');
    expect(mixed.serverLanguage('lib/x.cc')).toBe('cpp');
    expect(mixed.serverLanguage('main.rs')).toBeUndefined();
    expect(mixed.serverLanguage('README.md')).toBeUndefined();
  });
});
