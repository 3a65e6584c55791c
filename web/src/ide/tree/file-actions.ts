// The file operations the tree offers, as FilesApi calls. Each success is applied to the model
// at once (its event from the stream follows and changes nothing more), so the tree answers a
// click even when the event stream lags.
import { ApiError, FileConflictError, type FilesApi } from '../../api';
import type { FileTreeModel } from '../file-tree-model';
import { cleanPath, joinPath, moveProblem, moveTarget } from './paths';

export type FileOps = Pick<FilesApi, 'writeFile' | 'deleteEntry' | 'makeDirectory' | 'move'>;

export interface FileActionHooks {
  /** Before a move: the editing core gets the last keystrokes into the file (they could be lost otherwise). */
  beforeMove?(from: string): Promise<void>;
  /** After the model changed. */
  changed?(): void;
}

/** A move whose target exists: the caller may ask whether to replace it, then call again with overwrite. */
export class TargetExistsError extends Error {
  constructor(readonly from: string, readonly to: string) {
    super(`“${to}” already exists.`);
    this.name = 'TargetExistsError';
  }
}

export class FileActions {
  constructor(
    private readonly files: FileOps,
    private readonly model: FileTreeModel,
    private readonly hooks: FileActionHooks = {},
  ) {}

  /** Creates an empty file `name` (may hold folders: `src/a.py`) in `dir`. Returns its path. */
  async createFile(dir: string, name: string): Promise<string> {
    const path = joinPath(dir, cleanPath(name));
    this.refuseExisting(path);
    try {
      const written = await this.files.writeFile(path, new Uint8Array(0), { createOnly: true });
      this.model.applyLocal({ type: 'created', path, entryType: 'file', version: written.version, size: written.size });
    } catch (err) {
      if (err instanceof FileConflictError) throw new Error(`“${path}” already exists.`, { cause: err });
      throw explain(err, path);
    }
    this.hooks.changed?.();
    return path;
  }

  /** Creates the folder `name` (may hold folders) in `dir`. Returns its path. */
  async createFolder(dir: string, name: string): Promise<string> {
    const path = joinPath(dir, cleanPath(name));
    this.refuseExisting(path);
    try {
      await this.files.makeDirectory(path);
    } catch (err) {
      throw explain(err, path);
    }
    this.model.applyLocal({ type: 'created', path, entryType: 'directory' });
    this.hooks.changed?.();
    return path;
  }

  /** Renames or moves `from` to the full path `to` (typed by a person: cleaned first). */
  async rename(from: string, to: string, overwrite = false): Promise<string> {
    const target = cleanPath(to);
    const problem = moveProblem(from, target);
    if (problem) {
      if (from === target) return target;
      throw new Error(problem);
    }
    if (!overwrite && this.model.has(target)) throw new TargetExistsError(from, target);
    const entryType = this.model.get(from)?.type ?? 'file';
    await this.hooks.beforeMove?.(from).catch(() => undefined);
    let result;
    try {
      result = await this.files.move(from, target, { overwrite });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !overwrite) throw new TargetExistsError(from, target);
      throw explain(err, from);
    }
    this.model.applyLocal({ type: 'moved', from, path: target, entryType: result?.type ?? entryType, ...(result?.version !== undefined ? { version: result.version } : {}) });
    this.hooks.changed?.();
    return target;
  }

  /** Moves `from` into the folder `dir` ('' = the workspace's root). */
  moveInto(from: string, dir: string, overwrite = false): Promise<string> {
    return this.rename(from, moveTarget(from, dir), overwrite);
  }

  /** Deletes a file, or a folder with everything under it. */
  async delete(path: string): Promise<void> {
    try {
      await this.files.deleteEntry(path);
    } catch (err) {
      // Gone already is what was wanted.
      if (!(err instanceof ApiError && err.status === 404)) throw explain(err, path);
    }
    this.model.applyLocal({ type: 'deleted', path, entryType: this.model.get(path)?.type ?? 'file' });
    this.hooks.changed?.();
  }

  private refuseExisting(path: string): void {
    if (this.model.has(path)) throw new Error(`“${path}” already exists.`);
  }
}

/** The server's answer in words that fit the operation. */
function explain(err: unknown, path: string): unknown {
  if (!(err instanceof ApiError)) return err;
  switch (err.status) {
    case 403:
      return new Error('Your role in this workspace does not allow changing files.');
    case 404:
      return new Error(`“${path}” no longer exists.`);
    case 409:
      return new Error(`“${path}” conflicts with an existing file or folder.`);
    case 413:
      return new Error('The workspace is full (its size or entry quota is reached).');
    default:
      return err;
  }
}
