// The open files of the IDE, in tab order, and the strip that shows them. The model is pure so
// the rules for following moves and deletes (from the event stream and from the editing core)
// are unit-tested; the strip only renders it.
import { h } from '../dom';
import { baseName, parentOf } from './tree/paths';

/** `path` is `base` itself or lies under the directory `base`. */
export function isAtOrUnder(path: string, base: string): boolean {
  return path === base || path.startsWith(base + '/');
}

/** `path` with its `from` prefix replaced by `to` (the entry or one of its ancestors moved). */
export function rebase(path: string, from: string, to: string): string {
  return path === from ? to : to + path.slice(from.length);
}

export interface TabsChange {
  /** Paths that were renamed, old → new. */
  moved: Array<[string, string]>;
  /** Paths that are no longer open. */
  closed: string[];
}

export class TabsModel {
  private list: string[] = [];
  private current: string | null = null;
  private readonly listeners = new Set<() => void>();

  get paths(): readonly string[] {
    return this.list;
  }

  get active(): string | null {
    return this.current;
  }

  has(path: string): boolean {
    return this.list.includes(path);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens `path` (after the active tab, like an editor does) and makes it active. */
  open(path: string): void {
    if (!this.list.includes(path)) {
      const at = this.current === null ? this.list.length : this.list.indexOf(this.current) + 1;
      this.list.splice(at, 0, path);
    }
    this.current = path;
    this.emit();
  }

  /** Closes `path`; the neighbour to its right (else left) becomes active. Returns the new active path. */
  close(path: string): string | null {
    const i = this.list.indexOf(path);
    if (i < 0) return this.current;
    this.list.splice(i, 1);
    if (this.current === path) this.current = this.list[i] ?? this.list[i - 1] ?? null;
    this.emit();
    return this.current;
  }

  /**
   * An entry moved: every tab at or under `from` follows it. Idempotent, because the same move
   * is reported by the event stream and by the editing core.
   */
  move(from: string, to: string): TabsChange {
    const change: TabsChange = { moved: [], closed: [] };
    // Nothing open under `from` any more: this move was applied already (or concerns no tab).
    if (from === to || !this.list.some((p) => isAtOrUnder(p, from))) return change;
    const next: string[] = [];
    for (const path of this.list) {
      if (isAtOrUnder(path, from)) {
        const renamed = rebase(path, from, to);
        change.moved.push([path, renamed]);
        next.push(renamed);
      } else if (isAtOrUnder(path, to)) {
        // An overwriting move replaced what was open at the target.
        change.closed.push(path);
      } else {
        next.push(path);
      }
    }
    this.list = next;
    if (this.current !== null) {
      const hit = change.moved.find(([old]) => old === this.current);
      if (hit) this.current = hit[1];
      else if (change.closed.includes(this.current)) this.current = this.list[0] ?? null;
    }
    this.emit();
    return change;
  }

  /** An entry was deleted: every tab at or under `path` closes. Returns the closed paths. */
  remove(path: string): string[] {
    const closed = this.list.filter((p) => isAtOrUnder(p, path));
    for (const p of closed) {
      const i = this.list.indexOf(p);
      this.list.splice(i, 1);
      if (this.current === p) this.current = this.list[i] ?? this.list[i - 1] ?? null;
    }
    if (closed.length > 0) this.emit();
    return closed;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export interface TabStripOptions {
  onActivate(path: string): void;
  onClose(path: string): void;
}

/** The tab strip (`role=tablist`): click to show, middle-click or × to close, arrows to move. */
export function createTabStrip(model: TabsModel, options: TabStripOptions): { el: HTMLElement; render(): void } {
  const el = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Open files', 'data-testid': 'tabs' });

  function render(): void {
    const focusedPath = (document.activeElement as HTMLElement | null)?.closest?.('.tab')?.getAttribute('data-path');
    const names = model.paths.map(baseName);
    el.replaceChildren(...model.paths.map((path, i) => {
      const active = path === model.active;
      const name = names[i]!;
      // Two open files with one name: show their folders, as VS Code does.
      const twin = names.some((n, j) => j !== i && n === name);
      const dir = parentOf(path);
      const tab = h('div', {
        class: active ? 'tab active' : 'tab', role: 'tab', 'data-testid': 'tab', 'data-path': path,
        'aria-selected': active ? 'true' : 'false', 'data-active': active ? 'true' : 'false',
        tabindex: active || (model.active === null && i === 0) ? 0 : -1, title: path,
        onclick: () => options.onActivate(path),
        onauxclick: (e: MouseEvent) => {
          if (e.button === 1) options.onClose(path);
        },
        onkeydown: (e: KeyboardEvent) => onKey(e, path),
      },
        h('span', { class: 'tab-name' }, name),
        twin && dir ? h('span', { class: 'tab-dir' }, dir) : null,
        h('button', {
          type: 'button', class: 'tab-close', 'data-testid': 'tab-close', 'aria-label': `Close ${name}`, tabindex: -1,
          onclick: (e: MouseEvent) => {
            e.stopPropagation();
            options.onClose(path);
          },
        }, '×'),
      );
      return tab;
    }));
    if (focusedPath) (el.querySelector(`.tab[data-path="${CSS.escape(focusedPath)}"]`) as HTMLElement | null)?.focus();
  }

  function onKey(e: KeyboardEvent, path: string): void {
    const i = model.paths.indexOf(path);
    let target: string | undefined;
    if (e.key === 'ArrowRight') target = model.paths[(i + 1) % model.paths.length];
    else if (e.key === 'ArrowLeft') target = model.paths[(i - 1 + model.paths.length) % model.paths.length];
    else if (e.key === 'Home') target = model.paths[0];
    else if (e.key === 'End') target = model.paths[model.paths.length - 1];
    else if (e.key === 'Delete') {
      e.preventDefault();
      options.onClose(path);
      return;
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      options.onActivate(path);
      return;
    }
    if (target === undefined) return;
    e.preventDefault();
    (el.querySelector(`.tab[data-path="${CSS.escape(target)}"]`) as HTMLElement | null)?.focus();
  }

  return { el, render };
}
