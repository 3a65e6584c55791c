import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushToFiles, type FlushableDocument } from '../src/ide/editor/flush';
import { toMarker } from '../src/ide/editor/markers';

describe('flushToFiles', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function doc(path: string, text: string, settled = true): FlushableDocument & { text_: string; settled_: boolean } {
    const d = { path, text_: text, settled_: settled, settled: () => d.settled_, text: () => d.text_, gone: () => false };
    return d;
  }

  it('waits for the ack, then until the file holds the acknowledged text', async () => {
    const a = doc('a.py', 'new', false);
    const file = { text: 'old' };
    const reads: string[] = [];
    const done = flushToFiles({
      timeoutMs: 5000,
      documents: () => [a],
      readFile: async (path) => {
        reads.push(path);
        return file.text;
      },
    });
    let resolved = false;
    void done.then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(reads).toEqual([]); // not acknowledged yet: nothing to read
    a.settled_ = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads.length).toBeGreaterThan(2);
    expect(resolved).toBe(false);
    file.text = 'new';
    await vi.advanceTimersByTimeAsync(300);
    expect(resolved).toBe(true);
  });

  it('rejects after the timeout, naming the file', async () => {
    const done = flushToFiles({ timeoutMs: 1000, documents: () => [doc('b.py', 'x')], readFile: async () => 'y' });
    const failed = expect(done).rejects.toThrow(/b\.py/);
    await vi.advanceTimersByTimeAsync(2000);
    await failed;
  });

  it('gives up at once when the connection stopped', async () => {
    await expect(flushToFiles({ timeoutMs: 1000, documents: () => [], readFile: async () => '', stopped: () => 'workspace deleted' }))
      .rejects.toThrow(/workspace deleted/);
  });
});

describe('toMarker', () => {
  const severities = { error: 8, warning: 4 };
  it('keeps 1-based positions and maps the severity', () => {
    expect(toMarker({ line: 3, column: 5, endLine: 3, endColumn: 9, severity: 'error', message: 'bad' }, severities)).toEqual({
      startLineNumber: 3, startColumn: 5, endLineNumber: 3, endColumn: 9, severity: 8, message: 'bad', source: 'check',
    });
  });
  it('widens an empty range to one character and clamps nonsense', () => {
    const marker = toMarker({ line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'warning', message: 'w' }, severities);
    expect(marker).toMatchObject({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 2, severity: 4 });
  });
});
