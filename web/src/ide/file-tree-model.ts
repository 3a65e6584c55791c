// The IDE's picture of a workspace's files: the tree from GET /tree, kept current by
// the event stream. Pure (no DOM, no fetch) so every event rule is unit-tested.
//
// Loading order the caller should use: open the event stream first (the server pins
// its position before answering), then load the tree and apply the events that
// arrived meanwhile. Some of those are already in the tree, so every rule below is
// safe to apply twice (creating what exists, deleting what is gone).
import type { EntryType, FileChangeEvent, TreeEntry } from '../api';

export interface TreeItem {
  type: EntryType;
  version?: number;
  size?: number;
}

export interface TreeNode extends TreeItem {
  name: string;
  path: string;
  /** Directories only, sorted: directories first, then files, by name. */
  children?: TreeNode[];
}

/** A change made by this client, described like the event that will report it. */
export type LocalChange = Pick<FileChangeEvent, 'type' | 'path' | 'entryType'> & Partial<Pick<FileChangeEvent, 'from' | 'version' | 'size'>>;

/** What an event did; 'stale' = its sequence had been applied already. */
export type ApplyResult = 'applied' | 'stale';

export class FileTreeModel {
  private readonly entries = new Map<string, TreeItem>();
  private sequence = 0;

  constructor(entries: Iterable<TreeEntry> = [], sequence = 0) {
    this.reset(entries, sequence);
  }

  /** The highest event sequence applied (or the one the tree was loaded at). */
  get lastSequence(): number {
    return this.sequence;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Replaces everything, e.g. after an `event: reset`. `sequence` is where the new
   * tree stands; older events are ignored from then on.
   */
  reset(entries: Iterable<TreeEntry>, sequence = 0): void {
    this.entries.clear();
    for (const e of entries) {
      this.put(e.path, item(e.type, e.version, e.size));
    }
    this.sequence = sequence;
  }

  get(path: string): TreeItem | undefined {
    return this.entries.get(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Every path with its item, in no particular order. */
  paths(): IterableIterator<[string, TreeItem]> {
    return this.entries.entries();
  }

  apply(event: FileChangeEvent): ApplyResult {
    // Replays after a reconnect, and events already folded into a freshly loaded tree.
    if (event.sequence <= this.sequence) return 'stale';
    this.sequence = event.sequence;
    this.change(event);
    return 'applied';
  }

  /**
   * Applies a change this client just made through the API, before its event arrives, so the
   * tree answers at once. The sequence is left alone: the event itself follows and, every
   * rule being idempotent, changes nothing more.
   */
  applyLocal(change: LocalChange): void {
    this.change({ ...change, userId: '', sequence: this.sequence, at: '' });
  }

  private change(event: FileChangeEvent): void {
    switch (event.type) {
      case 'created':
      case 'changed':
        // A directory event must not clobber a directory's children; a file event on a
        // path that was a directory means the directory went (the server forbids both).
        if (event.entryType === 'file' && this.entries.get(event.path)?.type === 'directory') this.removeSubtree(event.path);
        this.put(event.path, item(event.entryType, event.version, event.size));
        break;
      case 'deleted':
        this.removeSubtree(event.path);
        break;
      case 'moved':
        if (event.from !== undefined) this.move(event.from, event.path, event);
        break;
    }
  }

  /** Nested, sorted view for rendering. */
  view(): TreeNode[] {
    const root: TreeNode[] = [];
    const dirs = new Map<string, TreeNode[]>([['', root]]);
    // Parents before children: sorting by depth lets each node find its parent's list.
    const ordered = [...this.entries].sort((a, b) => depth(a[0]) - depth(b[0]));
    for (const [path, it] of ordered) {
      const slash = path.lastIndexOf('/');
      const parent = slash < 0 ? '' : path.slice(0, slash);
      const siblings = dirs.get(parent);
      if (!siblings) continue; // orphan: put() never leaves one, but stay safe
      const node: TreeNode = { name: path.slice(slash + 1), path, ...it };
      if (it.type === 'directory') {
        node.children = [];
        dirs.set(path, node.children);
      }
      siblings.push(node);
    }
    for (const list of dirs.values()) list.sort(compareNodes);
    return root;
  }

  private move(from: string, to: string, event: FileChangeEvent): void {
    const moved: Array<[string, TreeItem]> = [];
    const prefix = from + '/';
    for (const [path, it] of this.entries) {
      if (path === from) moved.push([to, it]);
      else if (path.startsWith(prefix)) moved.push([to + path.slice(from.length), it]);
    }
    if (moved.length === 0) {
      const existing = this.entries.get(to);
      if (existing?.type === event.entryType) {
        // Applied already (this client's own move, shown before its event): keep the target's
        // subtree, take the event's version.
        this.put(to, item(event.entryType, event.version ?? existing.version, event.size ?? existing.size));
        return;
      }
      // The source was never seen (the event outran the tree): trust the event.
      moved.push([to, item(event.entryType, event.version, event.size)]);
    }
    this.removeSubtree(from);
    // An overwrite replaced what was at the target.
    this.removeSubtree(to);
    for (const [path, it] of moved) {
      // The moved entry itself takes the new version the event carries.
      this.put(path, path === to ? item(event.entryType, event.version ?? it.version, event.size ?? it.size) : it);
    }
  }

  /** Removes `path` and everything under it; `src` never touches `src2` or `src-x`. */
  private removeSubtree(path: string): void {
    this.entries.delete(path);
    const prefix = path + '/';
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) this.entries.delete(key);
    }
  }

  /** Sets an entry and makes sure its parents exist as directories, like the server. */
  private put(path: string, it: TreeItem): void {
    this.entries.set(path, it);
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const parent = path.slice(0, slash);
      const existing = this.entries.get(parent);
      if (existing?.type === 'directory') break;
      this.entries.set(parent, { type: 'directory' });
    }
  }
}

function item(type: EntryType, version: number | null | undefined, size: number | null | undefined): TreeItem {
  const it: TreeItem = { type };
  if (type === 'file') {
    if (typeof version === 'number') it.version = version;
    if (typeof size === 'number') it.size = size;
  }
  return it;
}

function depth(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

// Numeric-aware and case-insensitive like a file manager; the code-point tie-break
// keeps names differing only in case (legal: paths are byte-compared) in a stable order.
const collator = /* @__PURE__ */ new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareNodes(a: TreeNode, b: TreeNode): number {
  if (a.type !== b.type) return a.type === 'directory' ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
