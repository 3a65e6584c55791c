// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { FileChangeEvent, FileEventsHandlers, TreeEntry } from '../src/api';
import { FileTreeModel } from '../src/ide/file-tree-model';
import { startTreeSync } from '../src/ide/tree/tree-sync';
import { flush } from './helpers';

let seq = 0;
const ev = (type: FileChangeEvent['type'], path: string, extra: Partial<FileChangeEvent> = {}): FileChangeEvent =>
  ({ type, path, entryType: 'file', userId: 'other', sequence: ++seq, at: '', ...extra });
const file = (path: string): TreeEntry => ({ path, type: 'file', version: 1, size: 1 });

function setup(trees: TreeEntry[][]) {
  let handlers!: FileEventsHandlers;
  let closed = false;
  const gate: Array<() => void> = [];
  const model = new FileTreeModel();
  const applied: string[] = [];
  let changes = 0;
  const sync = startTreeSync({
    model,
    files: {
      getTree: () => new Promise<TreeEntry[]>((resolve) => gate.push(() => resolve(trees.shift() ?? []))),
    },
    watch: (h) => {
      handlers = h;
      return { lastEventId: undefined, done: Promise.resolve(), close: () => (closed = true) };
    },
    onChange: () => changes++,
    onEvent: (e) => applied.push(`${e.type} ${e.from ? e.from + ' -> ' : ''}${e.path}`),
    openTimeoutMs: 50,
  });
  return { sync, model, handlers: () => handlers, gate, applied, changes: () => changes, closed: () => closed };
}

const paths = (m: FileTreeModel) => [...m.paths()].map(([p]) => p).sort();

describe('startTreeSync', () => {
  it('loads the tree once the stream is open, then applies the events that came meanwhile', async () => {
    const s = setup([[file('a.py'), file('b.py')]]);
    s.handlers().onOpen?.();
    await flush(2);
    expect(s.gate).toHaveLength(1);
    s.handlers().onEvent(ev('created', 'c.py')); // while the tree is on its way
    s.handlers().onEvent(ev('deleted', 'a.py'));
    s.gate.shift()!();
    await s.sync.ready;
    expect(paths(s.model)).toEqual(['b.py', 'c.py']);
    expect(s.applied).toEqual(['created c.py', 'deleted a.py']);
  });

  it('applies live events once loaded and reports moves for the tabs', async () => {
    const s = setup([[file('a.py')]]);
    s.handlers().onOpen?.();
    await flush(2);
    s.gate.shift()!();
    await s.sync.ready;
    const before = s.changes();
    s.handlers().onEvent(ev('moved', 'src/a.py', { from: 'a.py' }));
    expect(paths(s.model)).toEqual(['src', 'src/a.py']);
    expect(s.applied).toEqual(['moved a.py -> src/a.py']);
    expect(s.changes()).toBe(before + 1);
  });

  it('loads anyway when the stream does not open in time', async () => {
    const s = setup([[file('x')]]);
    // The 50 ms open timeout passes, then the tree is asked for: waited on, not slept for.
    await vi.waitFor(() => expect(s.gate).toHaveLength(1), { timeout: 5000, interval: 10 });
    s.gate.shift()!();
    await s.sync.ready;
    expect(paths(s.model)).toEqual(['x']);
  });

  it('reloads the tree after a reset and ignores events the new tree already holds', async () => {
    const s = setup([[file('a')], [file('a'), file('b')]]);
    s.handlers().onOpen?.();
    await flush(2);
    s.gate.shift()!();
    await s.sync.ready;
    const old = ev('created', 'old');
    s.handlers().onReset(old.sequence + 5);
    await flush(2);
    s.gate.shift()!();
    await flush(2);
    expect(paths(s.model)).toEqual(['a', 'b']);
    s.handlers().onEvent(old); // replayed, older than the reset point
    expect(paths(s.model)).toEqual(['a', 'b']);
  });

  it('dispose stops watching', async () => {
    const s = setup([[]]);
    s.sync.dispose();
    expect(s.closed()).toBe(true);
  });
});
