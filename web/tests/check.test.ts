// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckScheduler, checkOverHttp } from '../src/ide/check';
import { LanguageCatalog } from '../src/ide/languages';
import { LANGUAGES } from './languages-fixture';
import type { Diagnostic } from '../src/ide/editor-area';
import { ApiClient, TokenStore } from '../src/api';
import { MemoryStorage, json, scriptedFetch } from './helpers';

const catalog = new LanguageCatalog(LANGUAGES);
const diag = (message: string): Diagnostic => ({ line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', message });

/** A check whose answers the test releases by hand, in any order. */
function manualCheck() {
  const pending: Array<{ path: string; signal: AbortSignal; resolve(d: Diagnostic[]): void }> = [];
  const check = (path: string, signal: AbortSignal) =>
    new Promise<readonly Diagnostic[]>((resolve) => pending.push({ path, signal, resolve }));
  return { check, pending };
}

describe('CheckScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const { check, pending } = manualCheck();
    const applied: Array<[string, string[]]> = [];
    let flushes = 0;
    const scheduler = new CheckScheduler({
      check,
      flush: async () => {
        flushes++;
      },
      apply: (path, ds) => applied.push([path, ds.map((d) => d.message)]),
      delayMs: 800,
      isCheckable: (path) => catalog.isCheckable(path),
    });
    return { scheduler, pending, applied, flushes: () => flushes };
  }

  it('checks once, 800 ms after the last local edit, after flushing', async () => {
    const s = setup();
    s.scheduler.textChanged('a.py', true);
    await vi.advanceTimersByTimeAsync(500);
    s.scheduler.textChanged('a.py', true);
    await vi.advanceTimersByTimeAsync(799);
    expect(s.pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.flushes()).toBe(1);
    expect(s.pending.map((p) => p.path)).toEqual(['a.py']);
    s.pending[0]!.resolve([diag('bad')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.applied).toEqual([['a.py', ['bad']]]);
  });

  it('ignores remote edits and languages the service does not check', async () => {
    const s = setup();
    s.scheduler.textChanged('a.py', false);
    s.scheduler.textChanged('notes.md', true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.pending).toHaveLength(0);
  });

  it('drops an answer that a newer edit overtook, and aborts its request', async () => {
    const s = setup();
    s.scheduler.textChanged('a.py', true);
    await vi.advanceTimersByTimeAsync(800);
    const first = s.pending[0]!;
    s.scheduler.textChanged('a.py', true); // typing goes on while the first check runs
    expect(first.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(800);
    const second = s.pending[1]!;
    second.resolve([diag('new')]);
    first.resolve([diag('old')]); // arrives last, but is stale
    await vi.advanceTimersByTimeAsync(0);
    expect(s.applied).toEqual([['a.py', ['new']]]);
  });

  it('keeps paths apart, and forgets closed files', async () => {
    const s = setup();
    s.scheduler.textChanged('a.py', true);
    s.scheduler.textChanged('b.c', true);
    await vi.advanceTimersByTimeAsync(800);
    expect(s.pending.map((p) => p.path).sort()).toEqual(['a.py', 'b.c']);
    s.scheduler.forget('a.py');
    for (const p of s.pending) p.resolve([diag(p.path)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.applied).toEqual([['b.c', ['b.c']]]);
  });

  it('checkNow runs at once (a file was opened), but not again while nothing was typed', async () => {
    const s = setup();
    void s.scheduler.checkNow('main.go');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.pending.map((p) => p.path)).toEqual(['main.go']);
    s.pending[0]!.resolve([]);
    await vi.advanceTimersByTimeAsync(0);
    void s.scheduler.checkNow('main.go');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.pending).toHaveLength(1);
    s.scheduler.textChanged('main.go', true);
    void s.scheduler.checkNow('main.go');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.pending).toHaveLength(2);
  });
});


describe('checkOverHttp', () => {
  it('POSTs {path} and returns the diagnostics', async () => {
    const tokens = new TokenStore(new MemoryStorage());
    tokens.setFromPair({ accessToken: 'acc', tokenType: 'Bearer', expiresIn: 900 });
    const { fetch, calls } = scriptedFetch([() => json(200, { diagnostics: [diag('x')] })]);
    const check = checkOverHttp(new ApiClient({ fetch, tokens }), 'w 1');
    expect(await check('src/a.py', new AbortController().signal)).toEqual([diag('x')]);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/workspaces/w%201/check', body: '{"path":"src/a.py"}' });
  });
});
