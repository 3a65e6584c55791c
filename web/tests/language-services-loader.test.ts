// The language client is a chunk of its own, loaded the first time a file of a language with a
// server opens: not with the editing core, not for other files. vi.mock's factory runs when the
// module is first imported, which is what these tests watch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LanguageServicesLoader } from '../src/ide/editor/language-services';
import { LanguageCatalog } from '../src/ide/languages';
import { flush } from './helpers';
import { LANGUAGES } from './languages-fixture';

const client = vi.hoisted(() => ({ imported: 0, calls: [] as string[] }));

vi.mock('../src/ide/editor/lsp', () => {
  client.imported++;
  return {
    createLanguageServices: () => ({
      open: (d: { path: string; language: string }) => client.calls.push(`open ${d.path} ${d.language}`),
      close: (path: string) => client.calls.push(`close ${path}`),
      serves: (path: string) => path.endsWith('.py'),
      dispose: () => client.calls.push('dispose'),
    }),
  };
});

// Python has a server; C does not (as GET /api/languages may say).
const catalog = new LanguageCatalog(LANGUAGES.map((l) => (l.name === 'c' ? { ...l, languageServer: false } : l)));

function loader() {
  return new LanguageServicesLoader({
    load: () => import('../src/ide/editor/lsp'),
    serverLanguage: (path) => catalog.serverLanguage(path),
    options: () => ({}) as never,
  });
}

afterEach(() => {
  client.calls.length = 0;
});

describe('loading the language client', () => {
  it('is not imported for files without a server, and once for the first file with one', async () => {
    const languages = loader();
    languages.open('notes.txt', {} as never);
    languages.open('main.c', {} as never);
    await flush();
    expect(client.imported).toBe(0);
    expect(languages.loaded).toBe(false);
    expect(languages.serves('main.py')).toBe(false);

    languages.open('main.py', {} as never);
    languages.open('util.py', {} as never);
    languages.close('util.py'); // closed before the client was there: never opened on it
    languages.open('run.sh', {} as never);
    await flush();
    expect(client.imported).toBe(1);
    expect(languages.loaded).toBe(true);
    expect(client.calls).toEqual(['open main.py python', 'open run.sh bash']);

    languages.open('b.py', {} as never);
    languages.open('b.c', {} as never);
    languages.close('b.py');
    expect(client.calls.slice(2)).toEqual(['open b.py python', 'close b.py']);
    expect(languages.serves('main.py')).toBe(true);
    languages.dispose();
    expect(client.calls.at(-1)).toBe('dispose');
    expect(client.imported).toBe(1);
  });

  it('tries again with the next file when the chunk could not be loaded', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let attempts = 0;
    const languages = new LanguageServicesLoader({
      load: async () => {
        attempts++;
        if (attempts === 1) throw new Error('Failed to fetch dynamically imported module');
        return import('../src/ide/editor/lsp');
      },
      serverLanguage: (path) => catalog.serverLanguage(path),
      options: () => ({}) as never,
    });
    languages.open('a.py', {} as never);
    await flush();
    expect(languages.loaded).toBe(false);
    expect(warn).toHaveBeenCalled();
    languages.open('b.py', {} as never);
    await flush();
    expect(attempts).toBe(2);
    expect(client.calls).toEqual(['open a.py python', 'open b.py python']);
  });

  it('never creates the services once the editor is gone', async () => {
    const languages = loader();
    languages.open('a.py', {} as never);
    languages.dispose();
    await flush();
    expect(client.calls).toEqual([]);
  });
});
