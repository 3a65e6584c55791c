// One language server's connection: the handshake, the documents' didOpen/didChange/didClose, and
// what it does when the socket closes (reconnect with backoff, or stop for good).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LanguageServerConnection, type ConnectionState, type SyncedDocument } from '../src/ide/editor/lsp/connection';
import { FakeLspSocket } from './lsp-fakes';

const INCREMENTAL = { textDocumentSync: { openClose: true, change: 2 }, completionProvider: { triggerCharacters: ['.'] } };

function doc(path: string, text: string, languageId = 'python'): SyncedDocument & { text_: string; version_: number } {
  const d = { uri: `file:///workspace/${path}`, languageId, text_: text, version_: 1, version: () => d.version_, text: () => d.text_ };
  return d;
}

describe('a language server connection', () => {
  let states: Array<[ConnectionState, string]>;
  let sessionEnded: number;
  let diagnostics: unknown[];
  let dropped: string[];
  let connection: LanguageServerConnection;
  const socket = () => FakeLspSocket.latest();
  const settle = () => vi.advanceTimersByTimeAsync(0);
  /** Opens the latest socket and answers its initialize; the connection is ready after. */
  const handshake = async (capabilities: object) => {
    socket().handshake(capabilities);
    await settle();
  };

  beforeEach(() => {
    vi.useFakeTimers();
    FakeLspSocket.created.splice(0);
    states = [];
    sessionEnded = 0;
    diagnostics = [];
    dropped = [];
    connection = new LanguageServerConnection({
      socketUrl: async () => 'ws://host/ws/lsp/ws1/python?ticket=t',
      createSocket: (url) => new FakeLspSocket(url),
      random: () => 1,
      onStateChange: (state, detail) => states.push([state, detail]),
      onDiagnostics: (params) => diagnostics.push(params),
      onDocumentDropped: (uri) => dropped.push(uri),
      onSessionEnded: () => sessionEnded++,
      maxMessageBytes: 10_000,
    });
  });

  afterEach(() => {
    connection.dispose();
    vi.useRealTimers();
  });

  it('connects for its first document: initialize with the workspace root, initialized, then didOpen', async () => {
    const a = doc('main.py', 'import os\n');
    connection.openDocument(a);
    await settle();
    expect(socket().url).toBe('ws://host/ws/lsp/ws1/python?ticket=t');
    socket().open();
    const initialize = socket().request('initialize');
    expect(initialize.params).toMatchObject({
      processId: null,
      rootUri: 'file:///workspace',
      workspaceFolders: [{ uri: 'file:///workspace', name: 'workspace' }],
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: expect.arrayContaining(['documentation', 'detail']) } } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          definition: { linkSupport: true },
        },
      },
    });
    expect(socket().methods()).toEqual(['initialize']); // nothing before the answer
    socket().answer('initialize', { capabilities: INCREMENTAL });
    await settle();
    expect(socket().methods()).toEqual(['initialize', 'initialized', 'textDocument/didOpen']);
    expect(socket().request('initialize').id).toBe(1);
    expect(socket().take('textDocument/didOpen')[0].params).toEqual({
      textDocument: { uri: 'file:///workspace/main.py', languageId: 'python', version: 1, text: 'import os\n' },
    });
    expect(states.map((s) => s[0])).toEqual(['connecting', 'ready']);
    expect(connection.serves(a.uri)).toBe(true);
  });

  it('sends didChange with the changes as they come when the server syncs incrementally, and didClose', async () => {
    const a = doc('main.py', 'import os\n');
    connection.openDocument(a);
    await settle();
    await handshake(INCREMENTAL);
    socket().take();
    const change = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, rangeLength: 0, text: 'os.' };
    connection.changeDocument(a.uri, 2, [change]);
    connection.closeDocument(a.uri);
    expect(socket().take()).toEqual([
      { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: a.uri, version: 2 }, contentChanges: [change] } },
      { jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: { uri: a.uri } } },
    ]);
    expect(connection.serves(a.uri)).toBe(false);
  });

  it('sends the whole text when the server syncs fully, and nothing when it does not sync', async () => {
    const a = doc('main.c', 'int x;');
    connection.openDocument(a);
    await settle();
    await handshake({ textDocumentSync: 1 });
    socket().take();
    a.text_ = 'int xy;';
    connection.changeDocument(a.uri, 2, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: 'y' }]);
    expect(socket().take()[0].params.contentChanges).toEqual([{ text: 'int xy;' }]);

    const none = new LanguageServerConnection({ socketUrl: async () => 'ws://n', createSocket: (url) => new FakeLspSocket(url) });
    none.openDocument(a);
    await settle();
    await handshake({ textDocumentSync: 0 });
    none.changeDocument(a.uri, 3, [{ text: 'z' }]);
    expect(socket().methods()).toEqual(['initialize', 'initialized']);
    none.dispose();
  });

  it('holds back changes until the handshake: the didOpen then carries the text as it is', async () => {
    const a = doc('main.py', 'a');
    connection.openDocument(a);
    await settle();
    socket().open();
    a.text_ = 'ab';
    a.version_ = 2;
    connection.changeDocument(a.uri, 2, [{ text: 'ab' }]);
    socket().answer('initialize', { capabilities: INCREMENTAL });
    await settle();
    const opened = socket().take('textDocument/didOpen');
    expect(opened).toHaveLength(1);
    expect(opened[0].params.textDocument).toMatchObject({ version: 2, text: 'ab' });
    expect(socket().sent).toEqual([]);
  });

  it('answers requests with null while not connected, and passes them through when it is', async () => {
    const a = doc('main.py', '');
    connection.openDocument(a);
    await expect(connection.request('textDocument/hover', {})).resolves.toBeNull();
    await settle();
    await handshake(INCREMENTAL);
    const hover = connection.request('textDocument/hover', { textDocument: { uri: a.uri }, position: { line: 0, character: 0 } });
    socket().answer('textDocument/hover', { contents: 'x' });
    await expect(hover).resolves.toEqual({ contents: 'x' });
  });

  it('hands publishDiagnostics on and ignores other notifications', async () => {
    connection.openDocument(doc('main.py', ''));
    await settle();
    await handshake(INCREMENTAL);
    const params = { uri: 'file:///workspace/main.py', version: 1, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x' }] };
    socket().receive({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'hello' } });
    socket().receive({ jsonrpc: '2.0', method: '$/progress', params: { token: 1, value: {} } });
    socket().receive({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params });
    expect(diagnostics).toEqual([params]);
  });

  it('reconnects with growing, jittered pauses after drops, and does the handshake and every didOpen again', async () => {
    const a = doc('a.py', 'A');
    const b = doc('b.py', 'B');
    connection.openDocument(a);
    connection.openDocument(b);
    await settle();
    await handshake(INCREMENTAL);
    a.text_ = 'A2';
    a.version_ = 5;

    socket().serverClose(1011, 'the language server stopped');
    expect(states[states.length - 1]).toEqual(['waiting', 'the language server stopped']);
    expect(connection.serves(a.uri)).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeLspSocket.created).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeLspSocket.created).toHaveLength(2);

    // The new socket fails before it opens: the next pause is longer.
    socket().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeLspSocket.created).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeLspSocket.created).toHaveLength(3);

    await handshake(INCREMENTAL);
    expect(socket().methods()).toEqual(['initialize', 'initialized', 'textDocument/didOpen', 'textDocument/didOpen']);
    expect(socket().take('textDocument/didOpen').map((m) => m.params.textDocument)).toEqual([
      { uri: a.uri, languageId: 'python', version: 5, text: 'A2' },
      { uri: b.uri, languageId: 'python', version: 1, text: 'B' },
    ]);
    expect(connection.state).toBe('ready');
  });

  it('starts the backoff over after a connection that was up for a while', async () => {
    connection.openDocument(doc('a.py', ''));
    await settle();
    socket().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    socket().serverClose(1006);
    await vi.advanceTimersByTimeAsync(2000);
    await handshake(INCREMENTAL);
    await vi.advanceTimersByTimeAsync(60_000);
    socket().serverClose(1011);
    await settle();
    expect(FakeLspSocket.created).toHaveLength(4); // at once, not after 4 s
  });

  it.each([
    [4001, 'your session ended'],
    [4003, 'you have no role in this workspace'],
    [4004, 'there is no language server for this language here'],
    [4008, 'you have too many language servers open; close files of other languages'],
  ])('stays down after close %i', async (code, why) => {
    connection.openDocument(doc('a.py', ''));
    await settle();
    socket().open();
    socket().serverClose(code, 'refused');
    expect(states[states.length - 1]).toEqual(['stopped', why]);
    expect(sessionEnded).toBe(code === 4001 ? 1 : 0);
    await vi.advanceTimersByTimeAsync(120_000);
    connection.changeDocument('file:///workspace/a.py', 2, [{ text: 'x' }]);
    connection.openDocument(doc('b.py', ''));
    await expect(connection.request('textDocument/hover', {})).resolves.toBeNull();
    await settle();
    expect(FakeLspSocket.created).toHaveLength(1);
  });

  it('stops when the token cannot be had (socketUrl refused with 401)', async () => {
    const refused = new LanguageServerConnection({
      socketUrl: () => Promise.reject(Object.assign(new Error('Signed out'), { status: 401 })),
      createSocket: (url) => new FakeLspSocket(url),
      onSessionEnded: () => sessionEnded++,
    });
    refused.openDocument(doc('a.py', ''));
    await settle();
    expect(refused.state).toBe('stopped');
    expect(sessionEnded).toBe(1);
  });

  it.each([1008, 1009, 1011, 1006])('comes back after close %i', async (code) => {
    connection.openDocument(doc('a.py', ''));
    await settle();
    await handshake(INCREMENTAL);
    socket().serverClose(code);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeLspSocket.created).toHaveLength(2);
  });

  it('after the server closed a quiet socket (1000), connects again only when there is something to send', async () => {
    const a = doc('a.py', 'x');
    connection.openDocument(a);
    await settle();
    await handshake(INCREMENTAL);
    socket().serverClose(1000, 'idle');
    expect(connection.state).toBe('idle');
    await vi.advanceTimersByTimeAsync(300_000);
    expect(FakeLspSocket.created).toHaveLength(1);

    a.text_ = 'xy';
    a.version_ = 2;
    connection.changeDocument(a.uri, 2, [{ text: 'xy' }]);
    await settle();
    expect(FakeLspSocket.created).toHaveLength(2);
    await handshake(INCREMENTAL);
    expect(socket().take('textDocument/didOpen')[0].params.textDocument).toMatchObject({ version: 2, text: 'xy' });
  });

  it('gives up on a socket that does not open, or a server that does not answer initialize, and tries again', async () => {
    connection.openDocument(doc('a.py', ''));
    await settle();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeLspSocket.created[0]!.closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeLspSocket.created).toHaveLength(2);
    socket().open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeLspSocket.created[1]!.closedWith).toBe(1000);
    expect(connection.state).toBe('waiting');
  });

  it('does not send a document too big for a message; the server closes one that grew too big', async () => {
    const huge = doc('huge.py', 'x'.repeat(20_000));
    const small = doc('small.py', 'y');
    connection.openDocument(huge);
    connection.openDocument(small);
    await settle();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await handshake({ textDocumentSync: 1 });
    expect(socket().take('textDocument/didOpen').map((m) => m.params.textDocument.uri)).toEqual([small.uri]);
    expect(dropped).toEqual([huge.uri]);
    expect(connection.serves(huge.uri)).toBe(false);

    small.text_ = 'y'.repeat(20_000);
    connection.changeDocument(small.uri, 2, [{ text: small.text_ }]);
    expect(socket().take()).toEqual([{ jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: { uri: small.uri } } }]);
    expect(dropped).toEqual([huge.uri, small.uri]);
  });

  it('closes its socket when disposed', async () => {
    connection.openDocument(doc('a.py', ''));
    await settle();
    await handshake(INCREMENTAL);
    connection.dispose();
    expect(socket().closedWith).toBe(1000);
    expect(connection.state).toBe('stopped');
  });
});
