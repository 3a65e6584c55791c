// @vitest-environment node
// Pure module: runs on Node's own fetch classes, with a scripted fetch in place of the server.
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, FileConflictError, FilesApi, TokenStore, encodePath, parseVersionTag } from '../src/api';
import { MemoryStorage, empty, json, problem, scriptedFetch } from './helpers';

const noLock = <T,>(_: string, fn: () => Promise<T>) => fn();

function filesApi(responders: Parameters<typeof scriptedFetch>[0], workspaceId = 'ws-1') {
  const f = scriptedFetch(responders);
  const tokens = new TokenStore(new MemoryStorage());
  tokens.setFromPair({ accessToken: 'tok', tokenType: 'Bearer', expiresIn: 900 });
  const client = new ApiClient({ fetch: f.fetch, tokens, lock: noLock });
  return { api: new FilesApi(client, workspaceId), calls: f.calls };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('encodePath / parseVersionTag', () => {
  it('encodes each segment but keeps the separators', () => {
    expect(encodePath('src/a b/c#1?.txt')).toBe('src/a%20b/c%231%3F.txt');
    expect(encodePath('100%/ü.md')).toBe('100%25/%C3%BC.md');
  });

  it('reads strong and weak version tags and refuses anything else', () => {
    expect(parseVersionTag('"7"')).toBe(7);
    expect(parseVersionTag('W/"12"')).toBe(12);
    expect(parseVersionTag('7')).toBeUndefined();
    expect(parseVersionTag('"abc"')).toBeUndefined();
    expect(parseVersionTag(null)).toBeUndefined();
  });
});

describe('FilesApi', () => {
  it('getTree returns the entries with the bearer token', async () => {
    const entries = [
      { path: 'src', type: 'directory', size: null, version: null, modifiedAt: null },
      { path: 'src/main.py', type: 'file', size: 3, version: 2, modifiedAt: '2026-01-01T00:00:00Z' },
    ];
    const { api, calls } = filesApi([() => json(200, { entries })], 'w/1');
    await expect(api.getTree()).resolves.toEqual(entries);
    expect(calls[0]!.url).toBe('/api/workspaces/w%2F1/tree');
    expect(calls[0]!.headers['authorization']).toBe('Bearer tok');
  });

  it('readFile returns bytes, text and the version from the ETag', async () => {
    const { api, calls } = filesApi([
      () => new Response(new TextEncoder().encode('héllo'), { status: 200, headers: { ETag: '"4"', 'Content-Type': 'application/octet-stream' } }),
    ]);
    const file = await api.readFile('dir one/ü.txt');
    expect(calls[0]!.url).toBe('/api/workspaces/ws-1/files/dir%20one/%C3%BC.txt');
    expect(calls[0]!.headers['accept']).toBe('*/*');
    expect(file.version).toBe(4);
    expect(file.bytes).toEqual(new TextEncoder().encode('héllo'));
    expect(file.text()).toBe('héllo');
  });

  it('readFile refuses an answer without a version', async () => {
    const { api } = filesApi([() => new Response('x', { status: 200 })]);
    const err = await rejection(api.readFile('a.txt'));
    expect(err).toBeInstanceOf(ApiError);
  });

  it('writeFile sends raw content with If-Match and reports an update', async () => {
    const { api, calls } = filesApi([() => json(200, { path: 'a.txt', version: 5, size: 2 })]);
    const written = await api.writeFile('a.txt', 'hi', { expectedVersion: 4 });
    expect(written).toEqual({ path: 'a.txt', version: 5, size: 2, created: false });
    expect(calls[0]!.method).toBe('PUT');
    expect(calls[0]!.body).toBe('hi');
    expect(calls[0]!.headers['if-match']).toBe('"4"');
    expect(calls[0]!.headers['if-none-match']).toBeUndefined();
    expect(calls[0]!.headers['content-type']).toBe('application/octet-stream');
  });

  it('writeFile create-only sends If-None-Match: * and reports a creation', async () => {
    const { api, calls } = filesApi([() => json(201, { path: 'n.txt', version: 1, size: 0 })]);
    const written = await api.writeFile('n.txt', new Uint8Array(), { createOnly: true });
    expect(written.created).toBe(true);
    expect(calls[0]!.headers['if-none-match']).toBe('*');
    expect(calls[0]!.headers['if-match']).toBeUndefined();
  });

  it('writeFile without a condition sends neither header', async () => {
    const { api, calls } = filesApi([() => json(200, { path: 'a', version: 2, size: 1 })]);
    await api.writeFile('a', 'x');
    expect(calls[0]!.headers['if-match']).toBeUndefined();
    expect(calls[0]!.headers['if-none-match']).toBeUndefined();
  });

  it('maps a 412 to a FileConflictError that is still an ApiError', async () => {
    const { api } = filesApi([
      () => problem(412, 'Precondition failed', 'a.txt is at version 6, not 4.'),
      () => problem(412, 'Precondition failed', 'a.txt exists.'),
    ]);
    const stale = await rejection(api.writeFile('a.txt', 'x', { expectedVersion: 4 }));
    expect(stale).toBeInstanceOf(FileConflictError);
    expect(stale).toBeInstanceOf(ApiError);
    const conflict = stale as FileConflictError;
    expect(conflict.status).toBe(412);
    expect(conflict.path).toBe('a.txt');
    expect(conflict.expectedVersion).toBe(4);
    expect(conflict.alreadyExists).toBe(false);
    expect(conflict.userMessage).toBe('a.txt is at version 6, not 4.');

    const exists = (await rejection(api.writeFile('a.txt', 'x', { createOnly: true }))) as FileConflictError;
    expect(exists).toBeInstanceOf(FileConflictError);
    expect(exists.alreadyExists).toBe(true);
  });

  it('leaves other errors as they are', async () => {
    const { api } = filesApi([() => problem(409, 'Conflict', 'A parent is a file.'), () => problem(413, 'Too large')]);
    const parent = await rejection(api.writeFile('f/x', 'x'));
    expect(parent).toBeInstanceOf(ApiError);
    expect(parent).not.toBeInstanceOf(FileConflictError);
    expect((parent as ApiError).status).toBe(409);
    expect(((await rejection(api.writeFile('big', 'x'))) as ApiError).status).toBe(413);
  });

  it('deleteEntry sends DELETE, optionally conditional, and maps 412', async () => {
    const { api, calls } = filesApi([() => empty(204), () => empty(204), () => problem(412, 'Precondition failed')]);
    await api.deleteEntry('src');
    await api.deleteEntry('a.txt', { expectedVersion: 3 });
    expect(calls[0]!.method).toBe('DELETE');
    expect(calls[0]!.url).toBe('/api/workspaces/ws-1/files/src');
    expect(calls[0]!.headers['if-match']).toBeUndefined();
    expect(calls[1]!.headers['if-match']).toBe('"3"');
    const err = (await rejection(api.deleteEntry('a.txt', { expectedVersion: 3 }))) as FileConflictError;
    expect(err).toBeInstanceOf(FileConflictError);
    expect(err.expectedVersion).toBe(3);
  });

  it('makeDirectory tells a new directory from an existing one', async () => {
    const { api, calls } = filesApi([
      () => json(201, { path: 'a/b', type: 'directory' }),
      () => json(200, { path: 'a/b', type: 'directory' }),
    ]);
    await expect(api.makeDirectory('a/b')).resolves.toEqual({ path: 'a/b', created: true });
    await expect(api.makeDirectory('a/b')).resolves.toEqual({ path: 'a/b', created: false });
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.url).toBe('/api/workspaces/ws-1/directories/a/b');
  });

  it('move posts from/to/overwrite and returns the answer', async () => {
    const { api, calls } = filesApi([
      () => json(200, { from: 'a.txt', to: 'b/a.txt', type: 'file', version: 9 }),
      () => problem(409, 'Conflict', 'b exists.'),
    ]);
    await expect(api.move('a.txt', 'b/a.txt')).resolves.toEqual({ from: 'a.txt', to: 'b/a.txt', type: 'file', version: 9 });
    expect(calls[0]!.url).toBe('/api/workspaces/ws-1/move');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ from: 'a.txt', to: 'b/a.txt', overwrite: false });
    const err = (await rejection(api.move('x', 'b', { overwrite: true }))) as ApiError;
    expect(JSON.parse(calls[1]!.body!).overwrite).toBe(true);
    expect(err.status).toBe(409);
  });
});
