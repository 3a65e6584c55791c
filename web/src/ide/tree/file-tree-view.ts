// The explorer: the FileTreeModel drawn as an ARIA tree. One focusable row at a time (roving
// tabindex); arrows move and fold, Enter opens, F2 renames, Delete deletes, Shift+F10 or the
// context-menu key opens the actions menu. Rows drag onto folders (or the empty area, the root)
// to move. The view holds only what is on screen (folded folders, selection); every change goes
// out through the callbacks.
import { h } from '../../dom';
import type { FileTreeModel, TreeNode } from '../file-tree-model';
import { isAtOrUnder, rebase } from '../tabs';
import { parentOf } from './paths';

export type TreeAction = 'new-file' | 'new-folder' | 'rename' | 'move' | 'delete';

export interface FileTreeViewOptions {
  model: FileTreeModel;
  /** Viewers: no actions, no dragging (until setReadOnly(false)). */
  readOnly: boolean;
  onOpen(path: string): void;
  /** `path` is the entry acted on; for new-file/new-folder, the folder to create in ('' = root). */
  onAction(action: TreeAction, path: string): void;
  /** A row was dropped on a folder ('' = the root). */
  onDrop(from: string, toDir: string): void;
}

export interface FileTreeView {
  el: HTMLElement;
  render(): void;
  /** Unfolds the folders above `path` and marks it (the file shown in the editor). */
  reveal(path: string): void;
  /** The selected entry, if any. */
  selected(): string | null;
  /** Folded state follows a move. */
  moved(from: string, to: string): void;
  focus(): void;
  setReadOnly(readOnly: boolean): void;
}

const DRAG_TYPE = 'application/x-webide-path';

export function createFileTreeView(options: FileTreeViewOptions): FileTreeView {
  const { model } = options;
  let readOnly = options.readOnly;
  const expanded = new Set<string>();
  let selection: string | null = null;
  let focusPath: string | null = null;
  let menu: HTMLElement | null = null;

  const list = h('ul', {
    class: 'file-tree', role: 'tree', 'aria-label': 'Files', 'data-testid': 'file-tree',
    onkeydown: (e: KeyboardEvent) => onKey(e),
    oncontextmenu: (e: MouseEvent) => {
      // Right-click on the empty area: actions for the root.
      if ((e.target as HTMLElement).closest('.tree-row')) return;
      e.preventDefault();
      if (!readOnly) openMenu(null, e.clientX, e.clientY);
    },
  });
  const empty = h('p', { class: 'tree-empty muted', 'data-testid': 'file-tree-empty' }, 'No files yet.');
  const el = h('div', {
    class: 'tree-scroll',
    ondragover: (e: DragEvent) => onDragOver(e),
    ondragleave: (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('drop-target'),
    ondrop: (e: DragEvent) => onDropOn(e, ''),
  }, list, empty);

  function rowFor(path: string): HTMLElement | null {
    return list.querySelector(`.tree-row[data-path="${CSS.escape(path)}"]`);
  }

  function render(): void {
    const hadFocus = list.contains(document.activeElement);
    if (selection !== null && !model.has(selection)) selection = null;
    if (focusPath !== null && !model.has(focusPath)) focusPath = selection;
    const rows: HTMLElement[] = [];
    const walk = (nodes: TreeNode[], level: number) => {
      for (const node of nodes) {
        rows.push(row(node, level));
        if (node.children && expanded.has(node.path)) walk(node.children, level + 1);
      }
    };
    walk(model.view(), 1);
    list.replaceChildren(...rows);
    empty.hidden = rows.length > 0;
    // Roving tabindex: exactly one row takes Tab.
    const tabStop = (focusPath && rowFor(focusPath)) || (selection && rowFor(selection)) || rows[0];
    if (tabStop) tabStop.tabIndex = 0;
    if (hadFocus && tabStop) tabStop.focus();
  }

  function row(node: TreeNode, level: number): HTMLElement {
    const isDir = node.type === 'directory';
    const open = isDir && expanded.has(node.path);
    const li = h('li', {
      class: `tree-row${node.path === selection ? ' selected' : ''}`,
      role: 'treeitem', 'data-testid': 'file-tree-item', 'data-path': node.path, 'data-type': node.type,
      'aria-level': level, 'aria-selected': node.path === selection ? 'true' : 'false',
      'aria-expanded': isDir ? String(open) : null,
      tabindex: -1, title: node.path, draggable: readOnly ? null : 'true',
      style: `--level:${level - 1}`,
      onclick: (e: MouseEvent) => {
        e.stopPropagation();
        select(node.path);
        if (isDir) toggle(node.path);
        else options.onOpen(node.path);
      },
      oncontextmenu: (e: MouseEvent) => {
        e.preventDefault();
        select(node.path);
        if (!readOnly) openMenu(node.path, e.clientX, e.clientY);
      },
      ondragstart: (e: DragEvent) => {
        e.dataTransfer?.setData(DRAG_TYPE, node.path);
        e.dataTransfer?.setData('text/plain', node.path);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      },
      ondragover: (e: DragEvent) => onDragOver(e),
      ondragleave: (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('drop-target'),
      ondrop: (e: DragEvent) => onDropOn(e, isDir ? node.path : parentOf(node.path)),
    },
      h('span', { class: `tree-twisty${isDir ? (open ? ' open' : '') : ' leaf'}`, 'aria-hidden': 'true' }),
      h('span', { class: `tree-icon ${isDir ? 'icon-folder' : iconClass(node.name)}`, 'aria-hidden': 'true' }),
      h('span', { class: 'tree-name' }, node.name),
    );
    return li;
  }

  function onDragOver(e: DragEvent): void {
    if (readOnly || !e.dataTransfer?.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'move';
    (e.currentTarget as HTMLElement).classList.add('drop-target');
  }

  function onDropOn(e: DragEvent, dir: string): void {
    (e.currentTarget as HTMLElement).classList.remove('drop-target');
    const from = e.dataTransfer?.getData(DRAG_TYPE);
    if (readOnly || !from) return;
    e.preventDefault();
    e.stopPropagation();
    if (parentOf(from) === dir || isAtOrUnder(dir, from)) return;
    options.onDrop(from, dir);
  }

  function select(path: string | null): void {
    selection = path;
    focusPath = path;
    for (const r of list.querySelectorAll<HTMLElement>('.tree-row')) {
      const on = r.dataset.path === path;
      r.classList.toggle('selected', on);
      r.setAttribute('aria-selected', on ? 'true' : 'false');
      r.tabIndex = on ? 0 : -1;
    }
  }

  function toggle(path: string, open = !expanded.has(path)): void {
    if (open) expanded.add(path);
    else expanded.delete(path);
    render();
  }

  function visibleRows(): HTMLElement[] {
    return [...list.querySelectorAll<HTMLElement>('.tree-row')];
  }

  function focusRow(r: HTMLElement | undefined): void {
    if (!r) return;
    select(r.dataset.path ?? null);
    r.focus();
    r.scrollIntoView?.({ block: 'nearest' });
  }

  function onKey(e: KeyboardEvent): void {
    const current = (e.target as HTMLElement).closest<HTMLElement>('.tree-row');
    if (!current) return;
    const path = current.dataset.path!;
    const isDir = current.dataset.type === 'directory';
    const rows = visibleRows();
    const i = rows.indexOf(current);
    const act = (action: TreeAction, target = path) => {
      e.preventDefault();
      if (!readOnly) options.onAction(action, target);
    };
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        focusRow(rows[i + 1]);
        break;
      case 'ArrowUp':
        e.preventDefault();
        focusRow(rows[i - 1]);
        break;
      case 'Home':
        e.preventDefault();
        focusRow(rows[0]);
        break;
      case 'End':
        e.preventDefault();
        focusRow(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        e.preventDefault();
        if (isDir && !expanded.has(path)) toggle(path, true);
        else if (isDir) focusRow(rows[i + 1]);
        break;
      case 'ArrowLeft': {
        e.preventDefault();
        if (isDir && expanded.has(path)) toggle(path, false);
        else {
          const parent = parentOf(path);
          if (parent) focusRow(rowFor(parent) ?? undefined);
        }
        break;
      }
      case 'Enter':
      case ' ':
        e.preventDefault();
        if (isDir) toggle(path);
        else options.onOpen(path);
        break;
      case 'F2':
        act('rename');
        break;
      case 'Delete':
        act('delete');
        break;
      case 'ContextMenu':
        e.preventDefault();
        if (!readOnly) openMenu(path, current.getBoundingClientRect().left + 24, current.getBoundingClientRect().bottom);
        break;
      case 'F10':
        if (e.shiftKey) {
          e.preventDefault();
          if (!readOnly) openMenu(path, current.getBoundingClientRect().left + 24, current.getBoundingClientRect().bottom);
        }
        break;
    }
  }

  function openMenu(path: string | null, x: number, y: number): void {
    closeMenu();
    const type = path === null ? 'directory' : model.get(path)?.type;
    const dir = path === null ? '' : type === 'directory' ? path : parentOf(path);
    const items: Array<[string, TreeAction, string]> = [
      ['New File…', 'new-file', dir],
      ['New Folder…', 'new-folder', dir],
    ];
    if (path !== null) items.push(['Rename…', 'rename', path], ['Move to…', 'move', path], ['Delete', 'delete', path]);
    const back = document.activeElement as HTMLElement | null;
    const buttons = items.map(([label, action, target]) => h('button', {
      type: 'button', role: 'menuitem', class: 'menu-item', tabindex: -1, 'data-testid': `tree-menu-${action}`,
      onclick: () => {
        closeMenu();
        options.onAction(action, target);
      },
    }, label));
    menu = h('div', {
      class: 'context-menu', role: 'menu', 'data-testid': 'tree-menu',
      style: `left:${Math.round(x)}px;top:${Math.round(y)}px`,
      onkeydown: (e: KeyboardEvent) => {
        const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (e.key === 'Escape' || e.key === 'Tab') {
          e.preventDefault();
          closeMenu();
          back?.focus();
        } else if (e.key === 'ArrowDown') {
          e.preventDefault();
          buttons[(at + 1) % buttons.length]?.focus();
        } else if (e.key === 'ArrowUp') {
          e.preventDefault();
          buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
        }
      },
    }, buttons);
    document.body.appendChild(menu);
    // Keep it on screen near the bottom and right edges.
    const box = menu.getBoundingClientRect();
    if (box.bottom > innerHeight) menu.style.top = `${Math.max(0, innerHeight - box.height - 4)}px`;
    if (box.right > innerWidth) menu.style.left = `${Math.max(0, innerWidth - box.width - 4)}px`;
    buttons[0]?.focus();
    setTimeout(() => document.addEventListener('mousedown', onOutside, true));
  }

  function onOutside(e: MouseEvent): void {
    if (menu && !menu.contains(e.target as Node)) closeMenu();
  }

  function closeMenu(): void {
    document.removeEventListener('mousedown', onOutside, true);
    menu?.remove();
    menu = null;
  }

  return {
    el,
    render,
    reveal(path) {
      for (let p = parentOf(path); p !== ''; p = parentOf(p)) expanded.add(p);
      selection = path;
      focusPath = path;
      render();
      rowFor(path)?.scrollIntoView?.({ block: 'nearest' });
    },
    selected: () => selection,
    moved(from, to) {
      for (const p of [...expanded]) {
        if (isAtOrUnder(p, from)) {
          expanded.delete(p);
          expanded.add(rebase(p, from, to));
        }
      }
      if (selection !== null && isAtOrUnder(selection, from)) selection = rebase(selection, from, to);
      if (focusPath !== null && isAtOrUnder(focusPath, from)) focusPath = rebase(focusPath, from, to);
    },
    setReadOnly(value) {
      readOnly = value;
      render();
    },
    focus() {
      ((selection && rowFor(selection)) || list.querySelector<HTMLElement>('.tree-row'))?.focus();
    },
  };
}

/** A colour per kind of file, enough to tell them apart at a glance. */
function iconClass(name: string): string {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const known: Record<string, string> = {
    py: 'py', js: 'js', mjs: 'js', cjs: 'js', ts: 'ts', c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp',
    java: 'java', go: 'go', rs: 'rs', sh: 'sh', bash: 'sh', md: 'md', json: 'json', html: 'html', css: 'css', txt: 'txt',
  };
  return `icon-file icon-${known[ext] ?? 'other'}`;
}
