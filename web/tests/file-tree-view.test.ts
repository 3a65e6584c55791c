import { afterEach, describe, expect, it } from 'vitest';
import type { TreeEntry } from '../src/api';
import { FileTreeModel } from '../src/ide/file-tree-model';
import { createFileTreeView, type TreeAction } from '../src/ide/tree/file-tree-view';

const file = (path: string): TreeEntry => ({ path, type: 'file', version: 1, size: 1 });
const dir = (path: string): TreeEntry => ({ path, type: 'directory' });

function setup(readOnly = false) {
  const model = new FileTreeModel([dir('src'), file('src/a.py'), file('b.py'), file('c.md')]);
  const opened: string[] = [];
  const actions: Array<[TreeAction, string]> = [];
  const view = createFileTreeView({
    model, readOnly,
    onOpen: (p) => opened.push(p),
    onAction: (a, p) => actions.push([a, p]),
    onDrop: () => undefined,
  });
  document.body.appendChild(view.el);
  view.render();
  return { model, view, opened, actions };
}

const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid="file-tree-item"]')].map((r) => r.dataset.path);
const row = (path: string) => document.querySelector<HTMLElement>(`[data-testid="file-tree-item"][data-path="${path}"]`)!;
const key = (el: HTMLElement, k: string, extra: KeyboardEventInit = {}) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));

describe('file tree view', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders folders first, folded, with type and level attributes', () => {
    setup();
    expect(rows()).toEqual(['src', 'b.py', 'c.md']);
    expect(row('src').dataset.type).toBe('directory');
    expect(row('src').getAttribute('aria-expanded')).toBe('false');
    expect(row('b.py').getAttribute('aria-level')).toBe('1');
    expect(document.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
  });

  it('is driven by the keyboard: arrows move and unfold, Enter opens, F2 and Delete act', () => {
    const s = setup();
    row('src').focus();
    key(row('src'), 'ArrowRight');
    expect(rows()).toEqual(['src', 'src/a.py', 'b.py', 'c.md']);
    key(row('src'), 'ArrowDown');
    expect(document.activeElement).toBe(row('src/a.py'));
    key(row('src/a.py'), 'Enter');
    expect(s.opened).toEqual(['src/a.py']);
    key(row('src/a.py'), 'ArrowLeft');
    expect(document.activeElement).toBe(row('src'));
    key(row('src'), 'ArrowLeft');
    expect(rows()).toEqual(['src', 'b.py', 'c.md']);
    key(row('src'), 'End');
    expect(document.activeElement).toBe(row('c.md'));
    key(row('c.md'), 'F2');
    key(row('c.md'), 'Delete');
    expect(s.actions).toEqual([['rename', 'c.md'], ['delete', 'c.md']]);
  });

  it('reveals a file inside folded folders and marks it selected', () => {
    const s = setup();
    s.view.reveal('src/a.py');
    expect(rows()).toContain('src/a.py');
    expect(row('src/a.py').getAttribute('aria-selected')).toBe('true');
  });

  it('offers a context menu with the actions for an entry', () => {
    const s = setup();
    row('b.py').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 10, clientY: 10 }));
    const items = [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')].map((b) => b.dataset.testid);
    expect(items).toEqual(['tree-menu-new-file', 'tree-menu-new-folder', 'tree-menu-rename', 'tree-menu-move', 'tree-menu-delete']);
    document.querySelector<HTMLElement>('[data-testid="tree-menu-move"]')!.click();
    expect(s.actions).toEqual([['move', 'b.py']]);
    expect(document.querySelector('[data-testid="tree-menu"]')).toBeNull();
  });

  it('gives viewers no actions', () => {
    const s = setup(true);
    key(row('b.py'), 'F2');
    row('b.py').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
    expect(s.actions).toEqual([]);
    expect(document.querySelector('[data-testid="tree-menu"]')).toBeNull();
    expect(row('b.py').hasAttribute('draggable')).toBe(false);
  });

  it('keeps folds across a move of the folder', () => {
    const s = setup();
    s.view.reveal('src/a.py');
    s.model.applyLocal({ type: 'moved', from: 'src', path: 'lib', entryType: 'directory' });
    s.view.moved('src', 'lib');
    s.view.render();
    expect(rows()).toEqual(['lib', 'lib/a.py', 'b.py', 'c.md']);
  });
});
