// The language client's JSON-RPC framing over /ws/lsp (docs/api.md §6): one message per text frame,
// requests matched by id, the relay's id-less refusals logged, server requests ignored.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonRpcChannel, RequestDropped, ResponseFailure } from '../src/ide/editor/lsp/json-rpc';
import { workspacePathOf, workspaceUri } from '../src/ide/editor/lsp/uris';
import { FakeLspSocket, cancellation } from './lsp-fakes';

function channel(maxMessageBytes?: number) {
  const socket = new FakeLspSocket('ws://x');
  socket.open();
  const notifications: Array<[string, unknown]> = [];
  const rpc = new JsonRpcChannel(socket, {
    onNotification: (method, params) => notifications.push([method, params]),
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
  });
  socket.onmessage = (event) => rpc.receive(event.data);
  return { socket, rpc, notifications };
}

afterEach(() => FakeLspSocket.created.splice(0));

describe('JSON-RPC over /ws/lsp', () => {
  it('sends each message as one text frame of bare JSON, without Content-Length headers', () => {
    const { socket, rpc } = channel();
    void rpc.request('textDocument/hover', { position: { line: 0, character: 1 } });
    rpc.notify('initialized', {});
    expect(socket.frames).toHaveLength(2);
    expect(socket.frames.every((f) => f.startsWith('{') && !f.includes('Content-Length'))).toBe(true);
    expect(socket.sent[0]).toEqual({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: { position: { line: 0, character: 1 } } });
    expect(socket.sent[1]).toEqual({ jsonrpc: '2.0', method: 'initialized', params: {} });
  });

  it('matches answers to requests by id, in any order, and rejects error answers', async () => {
    const { socket, rpc } = channel();
    const first = rpc.request('a', null);
    const second = rpc.request('b', null);
    const failing = rpc.request('c', null);
    socket.receive({ jsonrpc: '2.0', id: 2, result: 'two' });
    socket.receive({ jsonrpc: '2.0', id: 1, result: 'one' });
    socket.receive({ jsonrpc: '2.0', id: 3, error: { code: -32601, message: "'c' is not relayed to the language server" } });
    await expect(first).resolves.toBe('one');
    await expect(second).resolves.toBe('two');
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseFailure);
    expect((error as ResponseFailure).error.code).toBe(-32601);
  });

  it('hands notifications on, ignores requests from the server, and logs the relay\'s refusals with id null', () => {
    const { socket, notifications } = channel();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket.receive({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///workspace/a.py', diagnostics: [] } });
    socket.receive({ jsonrpc: '2.0', id: 7, method: 'workspace/configuration', params: { items: [{}] } });
    socket.receive({ jsonrpc: '2.0', id: null, error: { code: -32602, message: "'file:///etc/passwd' is not inside file:///workspace/" } });
    socket.onmessage?.({ data: 'not json' });
    expect(notifications).toEqual([['textDocument/publishDiagnostics', { uri: 'file:///workspace/a.py', diagnostics: [] }]]);
    expect(socket.sent).toEqual([]); // nothing answers the server's request
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining("the relay refused a message: 'file:///etc/passwd' is not inside file:///workspace/ (-32602)"),
      expect.stringContaining('not JSON'),
    ]);
  });

  it('cancels with $/cancelRequest and ignores the late answer', async () => {
    const { socket, rpc } = channel();
    const { token, cancel } = cancellation();
    const asked = rpc.request('textDocument/completion', {}, token);
    cancel();
    await expect(asked).rejects.toBeInstanceOf(RequestDropped);
    expect(socket.sent[1]).toEqual({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } });
    socket.receive({ jsonrpc: '2.0', id: 1, result: { items: [] } }); // no error, nothing happens
  });

  it('does not send a message over the size limit (the relay would close with 1009)', async () => {
    const { socket, rpc } = channel(1000);
    await expect(rpc.request('textDocument/completion', { text: 'x'.repeat(2000) })).rejects.toBeInstanceOf(RequestDropped);
    expect(rpc.notify('textDocument/didOpen', { text: 'é'.repeat(600) })).toBe(false); // 1200 bytes of UTF-8
    expect(rpc.notify('textDocument/didOpen', { text: 'é'.repeat(300) })).toBe(true);
    expect(socket.sent.map((m) => m.method)).toEqual(['textDocument/didOpen']);
  });

  it('fails every waiting request when the socket goes', async () => {
    const { rpc } = channel();
    const waiting = rpc.request('textDocument/definition', {});
    rpc.dispose('the connection closed');
    await expect(waiting).rejects.toBeInstanceOf(RequestDropped);
  });
});

describe('workspace URIs', () => {
  it('encodes each segment as vscode-uri does', () => {
    expect(workspaceUri('main.py')).toBe('file:///workspace/main.py');
    expect(workspaceUri('src/my file (1).py')).toBe('file:///workspace/src/my%20file%20%281%29.py');
    expect(workspaceUri('ü/a#b?c!.c')).toBe('file:///workspace/%C3%BC/a%23b%3Fc%21.c');
    expect(workspaceUri('a-b_c.~d/e')).toBe('file:///workspace/a-b_c.~d/e');
  });

  it('reads a server\'s URI back into a workspace path, whatever it escaped, and nothing outside', () => {
    for (const path of ['main.py', 'src/my file (1).py', 'ü/a#b?c!.c']) expect(workspacePathOf(workspaceUri(path))).toBe(path);
    expect(workspacePathOf('file:///workspace/src/my file.py')).toBe('src/my file.py');
    expect(workspacePathOf('file:///workspace/a%2Fb')).toBeNull();
    expect(workspacePathOf('file:///workspace/../etc/passwd')).toBeNull();
    expect(workspacePathOf('file:///usr/include/stdio.h')).toBeNull();
    expect(workspacePathOf('file:///workspace')).toBeNull();
    expect(workspacePathOf('file:///workspace/a.py#L3')).toBeNull();
    expect(workspacePathOf('file:///workspace/%E0%A4%A')).toBeNull();
  });
});
