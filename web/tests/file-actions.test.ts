// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, FileConflictError, type TreeEntry } from '../src/api';
import { FileTreeModel } from '../src/ide/file-tree-model';
import { FileActions, TargetExistsError, type FileOps } from '../src/ide/tree/file-actions';
import { cleanPath, moveTarget } from '../src/ide/tree/paths';

const file = (path: string): TreeEntry => ({ path, type: 'file', version: 1, size: 1 });
const dir = (path: string): TreeEntry => ({ path, type: 'directory' });

function fakeFiles(fail: Partial<Record<keyof FileOps, unknown>> = {}) {
  const calls: string[] = [];
  const ops: FileOps = {
    async writeFile(path, content, options) {
      calls.push(`PUT ${path} ${(content as Uint8Array).length}b${options?.createOnly ? ' create-only' : ''}`);
      if (fail.writeFile) throw fail.writeFile;
      return { path, version: 1, size: 0, created: true };
    },
    async deleteEntry(path) {
      calls.push(`DELETE ${path}`);
      if (fail.deleteEntry) throw fail.deleteEntry;
    },
    async makeDirectory(path) {
      calls.push(`MKDIR ${path}`);
      if (fail.makeDirectory) throw fail.makeDirectory;
      return { path, created: true };
    },
    async move(from, to, options) {
      calls.push(`MOVE ${from} -> ${to}${options?.overwrite ? ' overwrite' : ''}`);
      if (fail.move) throw fail.move;
      return { from, to, type: 'file', version: 2 };
    },
  };
  return { ops, calls };
}

function setup(entries: TreeEntry[] = [dir('src'), file('src/a.py'), file('b.py')], fail = {}) {
  const model = new FileTreeModel(entries);
  const { ops, calls } = fakeFiles(fail);
  const flushed: string[] = [];
  let changed = 0;
  const actions = new FileActions(ops, model, {
    beforeMove: async (from) => {
      flushed.push(from);
    },
    changed: () => changed++,
  });
  return { model, calls, actions, flushed, changed: () => changed };
}

describe('FileActions', () => {
  it('creates an empty file create-only, inside the folder, and shows it at once', async () => {
    const s = setup();
    expect(await s.actions.createFile('src', 'new.py')).toBe('src/new.py');
    expect(s.calls).toEqual(['PUT src/new.py 0b create-only']);
    expect(s.model.get('src/new.py')?.type).toBe('file');
    expect(s.changed()).toBe(1);
  });

  it('creates folders (nested names too)', async () => {
    const s = setup();
    expect(await s.actions.createFolder('', 'lib/util')).toBe('lib/util');
    expect(s.calls).toEqual(['MKDIR lib/util']);
    expect(s.model.get('lib')?.type).toBe('directory');
    expect(s.model.get('lib/util')?.type).toBe('directory');
  });

  it('refuses to create what exists, locally and when the server says so', async () => {
    const s = setup();
    await expect(s.actions.createFile('', 'b.py')).rejects.toThrow('already exists');
    expect(s.calls).toEqual([]);
    const conflict = new FileConflictError(new ApiError({ status: 412, title: 'Precondition failed' }), 'c.py', undefined, true);
    const t = setup(undefined, { writeFile: conflict });
    await expect(t.actions.createFile('', 'c.py')).rejects.toThrow('“c.py” already exists.');
  });

  it('renames through move, flushing the editor first, and updates the tree', async () => {
    const s = setup();
    expect(await s.actions.rename('src/a.py', 'src/z.py')).toBe('src/z.py');
    expect(s.flushed).toEqual(['src/a.py']);
    expect(s.calls).toEqual(['MOVE src/a.py -> src/z.py']);
    expect(s.model.has('src/a.py')).toBe(false);
    expect(s.model.get('src/z.py')).toMatchObject({ type: 'file', version: 2 });
  });

  it('moves into a folder (or the root)', async () => {
    const s = setup();
    await s.actions.moveInto('b.py', 'src');
    await s.actions.moveInto('src/a.py', '');
    expect(s.calls).toEqual(['MOVE b.py -> src/b.py', 'MOVE src/a.py -> a.py']);
    expect(moveTarget('x/y/z.txt', 'w')).toBe('w/z.txt');
  });

  it('asks before replacing: TargetExistsError, then overwrite on request', async () => {
    const s = setup([file('a.py'), file('b.py')]);
    await expect(s.actions.rename('a.py', 'b.py')).rejects.toBeInstanceOf(TargetExistsError);
    expect(s.calls).toEqual([]);
    await s.actions.rename('a.py', 'b.py', true);
    expect(s.calls).toEqual(['MOVE a.py -> b.py overwrite']);
    expect([...s.model.paths()].map(([p]) => p)).toEqual(['b.py']);
  });

  it('turns a 409 from the server (the tree was behind) into TargetExistsError', async () => {
    const s = setup(undefined, { move: new ApiError({ status: 409, title: 'Conflict' }) });
    await expect(s.actions.rename('b.py', 'c.py')).rejects.toBeInstanceOf(TargetExistsError);
  });

  it('refuses to move a folder into itself', async () => {
    const s = setup();
    await expect(s.actions.rename('src', 'src/inner/src')).rejects.toThrow('into itself');
    expect(s.calls).toEqual([]);
  });

  it('deletes, counting an already-gone entry as deleted', async () => {
    const s = setup();
    await s.actions.delete('src');
    expect(s.calls).toEqual(['DELETE src']);
    expect(s.model.has('src/a.py')).toBe(false);
    const t = setup(undefined, { deleteEntry: new ApiError({ status: 404, title: 'Not found' }) });
    await t.actions.delete('b.py');
    expect(t.model.has('b.py')).toBe(false);
  });

  it('explains a refusal by role', async () => {
    const s = setup(undefined, { deleteEntry: new ApiError({ status: 403, title: 'Forbidden' }) });
    await expect(s.actions.delete('b.py')).rejects.toThrow('does not allow');
    expect(s.model.has('b.py')).toBe(true);
  });
});

describe('cleanPath', () => {
  it('trims blanks and outer slashes', () => {
    expect(cleanPath('  /src/a.py/ ')).toBe('src/a.py');
  });
  it.each([
    ['', 'Enter a name'],
    ['a//b', '//'],
    ['a/../b', 'not allowed'],
    ['a\\b', '/'],
    ['a\u0001', 'control'],
    ['x'.repeat(256), 'too long'],
  ])('rejects %j', (input, message) => {
    expect(() => cleanPath(input)).toThrow(message);
  });
});
