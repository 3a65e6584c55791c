// The file API of a workspace (docs/api.md §3). Kept apart from createApi() so the sign-in
// and workspace-list screens do not carry it: the lazily loaded IDE builds its own
// FilesApi over the shared ApiClient.
import type { ApiClient } from './client';
import { ApiError } from './errors';

export type EntryType = 'file' | 'directory';

export interface TreeEntry {
  path: string;
  type: EntryType;
  /** Files only; the server sends null for directories. */
  size?: number | null;
  version?: number | null;
  modifiedAt?: string | null;
}

export interface FileContent {
  bytes: Uint8Array;
  /** From the ETag; what an If-Match on the next write should carry. */
  version: number;
  /** UTF-8 decoding of `bytes`, done on demand so binary files cost nothing extra. */
  text(): string;
}

export interface WrittenFile {
  path: string;
  version: number;
  size: number;
  /** 201 rather than 200: the file did not exist before this write. */
  created: boolean;
}

export interface WriteOptions {
  /** Write only if the file is still at this version (If-Match). */
  expectedVersion?: number;
  /** Write only if nothing exists at the path yet (If-None-Match: *). */
  createOnly?: boolean;
  signal?: AbortSignal;
}

export interface MoveResult {
  from: string;
  to: string;
  type: EntryType;
  /** The moved file's new version; directories have none. */
  version?: number;
}

/**
 * A 412 on a conditional write or delete: someone else changed (or created) the file
 * first. Its own class so the editor can offer "reload / overwrite" instead of a generic
 * error banner; it stays an ApiError so generic handlers still show something sensible.
 */
export class FileConflictError extends ApiError {
  readonly path: string;
  /** The version the caller expected; undefined for a create-only write. */
  readonly expectedVersion: number | undefined;
  /** The write was create-only and the path already existed. */
  readonly alreadyExists: boolean;

  constructor(cause: ApiError, path: string, expectedVersion: number | undefined, alreadyExists: boolean) {
    super({ status: cause.status, title: cause.title, detail: cause.detail, type: cause.type });
    this.name = 'FileConflictError';
    this.path = path;
    this.expectedVersion = expectedVersion;
    this.alreadyExists = alreadyExists;
  }
}

/**
 * Encodes each segment on its own: the server decodes percent-escapes once per target,
 * so a `/` must stay a separator while a `%`, `#`, `?` or space inside a name must not
 * end or split the path.
 */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `"7"` → 7; weak tags (`W/"7"`) too, since a proxy may weaken them. */
export function parseVersionTag(tag: string | null): number | undefined {
  if (!tag) return undefined;
  const m = /^(?:W\/)?"(\d+)"$/.exec(tag.trim());
  return m ? Number(m[1]) : undefined;
}

export class FilesApi {
  constructor(private readonly client: ApiClient, private readonly workspaceId: string) {}

  private base(): string {
    return `/api/workspaces/${encodeURIComponent(this.workspaceId)}`;
  }

  async getTree(signal?: AbortSignal): Promise<TreeEntry[]> {
    const res = await this.client.json<{ entries?: TreeEntry[] }>(`${this.base()}/tree`, signal ? { signal } : {});
    return Array.isArray(res?.entries) ? res.entries : [];
  }

  async readFile(path: string, signal?: AbortSignal): Promise<FileContent> {
    const res = await this.client.request(`${this.base()}/files/${encodePath(path)}`, {
      // The client asks for JSON by default; file bodies are raw bytes.
      headers: { Accept: '*/*' },
      ...(signal ? { signal } : {}),
    });
    const version = parseVersionTag(res.headers.get('ETag'));
    if (version === undefined) {
      // Without a version the next conditional write could not be made safely.
      throw new ApiError({ status: res.status, title: 'Invalid response', detail: 'The file came without a version (ETag).' });
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { bytes, version, text: () => new TextDecoder().decode(bytes) };
  }

  async writeFile(path: string, content: string | Uint8Array | Blob, options: WriteOptions = {}): Promise<WrittenFile> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (options.expectedVersion !== undefined) headers['If-Match'] = `"${options.expectedVersion}"`;
    if (options.createOnly) headers['If-None-Match'] = '*';
    try {
      const res = await this.client.request(`${this.base()}/files/${encodePath(path)}`, {
        method: 'PUT',
        body: content as BodyInit,
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const body = (await res.json()) as { path: string; version: number; size: number };
      return { path: body.path, version: body.version, size: body.size, created: res.status === 201 };
    } catch (err) {
      throw asConflict(err, path, options.expectedVersion, options.createOnly === true);
    }
  }

  /** Deletes a file, or a directory with everything under it. */
  async deleteEntry(path: string, options: { expectedVersion?: number; signal?: AbortSignal } = {}): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.expectedVersion !== undefined) headers['If-Match'] = `"${options.expectedVersion}"`;
    try {
      await this.client.request(`${this.base()}/files/${encodePath(path)}`, {
        method: 'DELETE',
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      throw asConflict(err, path, options.expectedVersion, false);
    }
  }

  /** mkdir -p; resolves `created: false` when the directory was already there. */
  async makeDirectory(path: string, signal?: AbortSignal): Promise<{ path: string; created: boolean }> {
    const res = await this.client.request(`${this.base()}/directories/${encodePath(path)}`, {
      method: 'POST',
      ...(signal ? { signal } : {}),
    });
    return { path, created: res.status === 201 };
  }

  move(from: string, to: string, options: { overwrite?: boolean; signal?: AbortSignal } = {}): Promise<MoveResult> {
    return this.client.json<MoveResult>(`${this.base()}/move`, {
      method: 'POST',
      json: { from, to, overwrite: options.overwrite ?? false },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}

function asConflict(err: unknown, path: string, expectedVersion: number | undefined, createOnly: boolean): unknown {
  if (err instanceof ApiError && err.status === 412) {
    return new FileConflictError(err, path, expectedVersion, createOnly);
  }
  return err;
}
