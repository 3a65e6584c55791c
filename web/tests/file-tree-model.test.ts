// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { FileChangeEvent, TreeEntry } from '../src/api';
import { FileTreeModel, type TreeNode } from '../src/ide/file-tree-model';

let seq = 0;
function ev(type: FileChangeEvent['type'], path: string, extra: Partial<FileChangeEvent> = {}): FileChangeEvent {
  return { type, path, entryType: 'file', userId: 'u', sequence: ++seq, at: '2026-01-01T00:00:00Z', ...extra };
}
const dir = (path: string): TreeEntry => ({ path, type: 'directory', size: null, version: null, modifiedAt: null });
const file = (path: string, version = 1, size = 1): TreeEntry => ({ path, type: 'file', version, size });

function sortedPaths(model: FileTreeModel): string[] {
  return [...model.paths()].map(([p]) => p).sort();
}

/** The view flattened to "path" lines in display order, directories with a trailing '/'. */
function outline(nodes: TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.type === 'directory' ? n.path + '/' : n.path);
    if (n.children) outline(n.children, out);
  }
  return out;
}

const sample = () =>
  new FileTreeModel([
    dir('src'),
    dir('src/a'),
    file('src/a/b.txt', 3, 10),
    file('src/main.py', 2, 5),
    dir('src2'),
    file('src2/x.txt'),
    dir('src-x'),
    file('src-x/y.txt'),
    file('src.txt'),
  ]);

describe('FileTreeModel: loading', () => {
  it('keeps type, version and size from the tree, and drops nulls for directories', () => {
    const m = sample();
    expect(m.get('src/a/b.txt')).toEqual({ type: 'file', version: 3, size: 10 });
    expect(m.get('src')).toEqual({ type: 'directory' });
    expect(m.size).toBe(9);
    expect(m.lastSequence).toBe(0);
  });

  it('fills in missing parent directories', () => {
    const m = new FileTreeModel([file('a/b/c.txt')]);
    expect(sortedPaths(m)).toEqual(['a', 'a/b', 'a/b/c.txt']);
    expect(m.get('a/b')).toEqual({ type: 'directory' });
  });
});

describe('FileTreeModel: events', () => {
  it('created adds files and directories, keeping an existing directory\'s children', () => {
    const m = sample();
    m.apply(ev('created', 'docs', { entryType: 'directory' }));
    m.apply(ev('created', 'docs/readme.md', { version: 1, size: 4 }));
    expect(m.get('docs')).toEqual({ type: 'directory' });
    expect(m.get('docs/readme.md')).toEqual({ type: 'file', version: 1, size: 4 });
    m.apply(ev('created', 'src', { entryType: 'directory' }));
    expect(m.has('src/a/b.txt')).toBe(true);
  });

  it('changed updates version and size', () => {
    const m = sample();
    expect(m.apply(ev('changed', 'src/main.py', { version: 3, size: 9 }))).toBe('applied');
    expect(m.get('src/main.py')).toEqual({ type: 'file', version: 3, size: 9 });
  });

  it('deleting a file removes only it', () => {
    const m = sample();
    m.apply(ev('deleted', 'src/main.py'));
    expect(m.has('src/main.py')).toBe(false);
    expect(m.has('src')).toBe(true);
  });

  it('deleting a directory removes its subtree but not src2, src-x or src.txt', () => {
    const m = sample();
    m.apply(ev('deleted', 'src', { entryType: 'directory' }));
    expect(sortedPaths(m)).toEqual(['src-x', 'src-x/y.txt', 'src.txt', 'src2', 'src2/x.txt']);
  });

  it('deleting something unknown is harmless', () => {
    const m = sample();
    m.apply(ev('deleted', 'nope/nothing'));
    expect(m.size).toBe(9);
  });

  it('moving a directory moves its subtree and nothing with a similar prefix', () => {
    const m = sample();
    m.apply(ev('moved', 'lib/core', { from: 'src', entryType: 'directory' }));
    expect(sortedPaths(m)).toEqual([
      'lib', 'lib/core', 'lib/core/a', 'lib/core/a/b.txt', 'lib/core/main.py',
      'src-x', 'src-x/y.txt', 'src.txt', 'src2', 'src2/x.txt',
    ]);
    expect(m.get('lib/core/a/b.txt')).toEqual({ type: 'file', version: 3, size: 10 });
    expect(m.get('lib')).toEqual({ type: 'directory' });
  });

  it('moving a file takes the new version from the event and keeps the size', () => {
    const m = sample();
    m.apply(ev('moved', 'src2/main.py', { from: 'src/main.py', version: 7 }));
    expect(m.has('src/main.py')).toBe(false);
    expect(m.get('src2/main.py')).toEqual({ type: 'file', version: 7, size: 5 });
  });

  it('a move with overwrite replaces the target subtree', () => {
    const m = sample();
    m.apply(ev('moved', 'src2', { from: 'src-x', entryType: 'directory' }));
    expect(m.has('src2/x.txt')).toBe(false);
    expect(m.has('src2/y.txt')).toBe(true);
    expect(m.has('src-x')).toBe(false);
  });

  it('a move whose source was never seen creates the target from the event', () => {
    const m = new FileTreeModel();
    m.apply(ev('moved', 'b/new.txt', { from: 'old.txt', version: 4, size: 2 }));
    expect(m.get('b/new.txt')).toEqual({ type: 'file', version: 4, size: 2 });
    expect(m.get('b')).toEqual({ type: 'directory' });
  });

  it('a file created where a directory was replaces the directory and its subtree', () => {
    const m = sample();
    m.apply(ev('created', 'src', { version: 1, size: 0 }));
    expect(m.get('src')).toEqual({ type: 'file', version: 1, size: 0 });
    expect(m.has('src/a/b.txt')).toBe(false);
  });
});

describe('FileTreeModel: replays', () => {
  it('ignores events whose sequence was applied already', () => {
    const m = new FileTreeModel([], 10);
    expect(m.apply({ ...ev('created', 'old.txt'), sequence: 10 })).toBe('stale');
    expect(m.has('old.txt')).toBe(false);

    const created = { ...ev('created', 'a.txt', { version: 1 }), sequence: 11 };
    const deleted = { ...ev('deleted', 'a.txt'), sequence: 12 };
    expect(m.apply(created)).toBe('applied');
    expect(m.apply(deleted)).toBe('applied');
    // A reconnect replays both: the file must not come back.
    expect(m.apply(created)).toBe('stale');
    expect(m.apply(deleted)).toBe('stale');
    expect(m.has('a.txt')).toBe(false);
    expect(m.lastSequence).toBe(12);
  });

  it('a replayed move does not move twice', () => {
    const m = sample();
    const move = ev('moved', 'dst', { from: 'src', entryType: 'directory' });
    m.apply(move);
    m.apply(ev('created', 'src/new.txt'));
    m.apply(move);
    expect(m.has('src/new.txt')).toBe(true);
    expect(m.has('dst/new.txt')).toBe(false);
  });

  it('reset replaces the content and the sequence', () => {
    const m = sample();
    m.apply({ ...ev('created', 'x'), sequence: 3 });
    m.reset([file('only.txt')], 50);
    expect(sortedPaths(m)).toEqual(['only.txt']);
    expect(m.apply({ ...ev('deleted', 'only.txt'), sequence: 50 })).toBe('stale');
    expect(m.apply({ ...ev('deleted', 'only.txt'), sequence: 51 })).toBe('applied');
    expect(m.size).toBe(0);
  });
});

describe('FileTreeModel: view', () => {
  it('nests and sorts directories first, then files, by name (numeric, case-insensitive)', () => {
    const m = new FileTreeModel([
      file('zeta.txt'),
      file('Alpha.txt'),
      file('alpha.txt'),
      dir('b'),
      file('b/file10.txt'),
      file('b/file2.txt'),
      dir('b/sub'),
      dir('A'),
      file('10.md'),
      file('9.md'),
    ]);
    expect(outline(m.view())).toEqual([
      'A/',
      'b/',
      'b/sub/',
      'b/file2.txt',
      'b/file10.txt',
      '9.md',
      '10.md',
      'Alpha.txt',
      'alpha.txt',
      'zeta.txt',
    ]);
    const b = m.view()[1]!;
    expect(b).toMatchObject({ name: 'b', path: 'b', type: 'directory' });
    expect(b.children![1]).toEqual({ name: 'file2.txt', path: 'b/file2.txt', type: 'file', version: 1, size: 1 });
  });

  it('follows events', () => {
    const m = sample();
    m.apply(ev('moved', 'src2/a', { from: 'src/a', entryType: 'directory' }));
    m.apply(ev('deleted', 'src-x', { entryType: 'directory' }));
    expect(outline(m.view())).toEqual(['src/', 'src/main.py', 'src2/', 'src2/a/', 'src2/a/b.txt', 'src2/x.txt', 'src.txt']);
  });
});

describe('FileTreeModel: applyLocal', () => {
  it('applies the client\'s own change at once without moving the sequence, and its event then changes nothing', () => {
    const m = sample();
    m.apply(ev('created', 'z.txt'));
    const at = m.lastSequence;
    m.applyLocal({ type: 'moved', from: 'src/a', path: 'lib/a', entryType: 'directory' });
    expect(m.lastSequence).toBe(at);
    expect(m.get('lib/a/b.txt')).toEqual({ type: 'file', version: 3, size: 10 });
    const before = sortedPaths(m);
    expect(m.apply(ev('moved', 'lib/a', { from: 'src/a', entryType: 'directory' }))).toBe('applied');
    expect(sortedPaths(m)).toEqual(before);
  });
});
