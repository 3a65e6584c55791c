// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { TabsModel, rebase } from '../src/ide/tabs';

function tabs(...paths: string[]) {
  const m = new TabsModel();
  for (const p of paths) m.open(p);
  return m;
}

describe('TabsModel', () => {
  it('opens after the active tab and activates', () => {
    const m = tabs('a.py', 'b.py');
    m.open('a.py');
    m.open('c.py');
    expect(m.paths).toEqual(['a.py', 'c.py', 'b.py']);
    expect(m.active).toBe('c.py');
  });

  it('closing the active tab activates its right neighbour, else the left one', () => {
    const m = tabs('a', 'b', 'c');
    m.open('b');
    expect(m.close('b')).toBe('c');
    expect(m.close('c')).toBe('a');
    expect(m.close('a')).toBe(null);
  });

  it('follows a file rename, keeping position and the active mark', () => {
    const m = tabs('a.py', 'b.py', 'c.py');
    m.open('b.py');
    const change = m.move('b.py', 'src/b2.py');
    expect(change).toEqual({ moved: [['b.py', 'src/b2.py']], closed: [] });
    expect(m.paths).toEqual(['a.py', 'src/b2.py', 'c.py']);
    expect(m.active).toBe('src/b2.py');
  });

  it('follows a folder move for every tab under it, and not for look-alike names', () => {
    const m = tabs('src/a.py', 'src/lib/b.py', 'src2/c.py', 'src.txt');
    m.move('src', 'app/src');
    expect(m.paths).toEqual(['app/src/a.py', 'app/src/lib/b.py', 'src2/c.py', 'src.txt']);
  });

  it('is idempotent: the event stream and the editing core report the same move', () => {
    const m = tabs('a.py');
    m.move('a.py', 'b.py');
    expect(m.move('a.py', 'b.py')).toEqual({ moved: [], closed: [] });
    expect(m.paths).toEqual(['b.py']);
  });

  it('an overwriting move closes the tab of the replaced file', () => {
    const m = tabs('a.py', 'b.py');
    const change = m.move('a.py', 'b.py');
    expect(change.closed).toEqual(['b.py']);
    expect(m.paths).toEqual(['b.py']);
    expect(m.active).toBe('b.py');
  });

  it('closes the tabs of a deleted file or folder and picks a neighbour', () => {
    const m = tabs('x.py', 'dir/a.py', 'dir/b.py', 'dir2/c.py');
    m.open('dir/a.py');
    expect(m.remove('dir')).toEqual(['dir/a.py', 'dir/b.py']);
    expect(m.paths).toEqual(['x.py', 'dir2/c.py']);
    expect(m.active).toBe('dir2/c.py');
    expect(m.remove('dir')).toEqual([]);
  });

  it('notifies listeners on changes only', () => {
    const m = tabs('a');
    let n = 0;
    m.onChange(() => n++);
    m.remove('zzz');
    m.move('zzz', 'y');
    expect(n).toBe(0);
    m.close('a');
    expect(n).toBe(1);
  });
});

describe('rebase', () => {
  it('replaces the prefix', () => {
    expect(rebase('a/b/c', 'a/b', 'x')).toBe('x/c');
    expect(rebase('a', 'a', 'b')).toBe('b');
  });
});
