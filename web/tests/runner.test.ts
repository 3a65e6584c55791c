// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { SocketLike } from '../src/ide/run/exec-client';
import type { OutputPanel } from '../src/ide/run/output-panel';
import { Runner } from '../src/ide/run/runner';
import { flush } from './helpers';

function fakePanel() {
  const log: string[] = [];
  const panel: OutputPanel = {
    el: null as unknown as HTMLElement,
    begin: (title) => log.push(`begin ${title}`),
    write: (stream, data) => log.push(`${stream} ${data}`),
    note: (text) => log.push(`note ${text}`),
    setStatus: (status) => log.push(`status ${status}`),
    setLive: (live) => log.push(`live ${live}`),
    fit: () => undefined,
    dispose: () => undefined,
  };
  return { panel, log };
}

function socketFactory() {
  const sockets: Array<SocketLike & { sent: string[]; closedWith?: number }> = [];
  const create = () => {
    const s = {
      readyState: 0, sent: [] as string[], closedWith: undefined as number | undefined,
      onopen: null, onmessage: null, onclose: null, onerror: null,
      send(d: string) { s.sent.push(d); },
      close(code?: number) { s.closedWith = code; },
    } as SocketLike & { sent: string[]; closedWith?: number };
    sockets.push(s);
    return s;
  };
  return { create, sockets };
}

describe('Runner', () => {
  it('flushes the editor before opening the socket, then shows the run to its end', async () => {
    const { panel, log } = fakePanel();
    const { create, sockets } = socketFactory();
    const order: string[] = [];
    const runner = new Runner({
      panel: () => panel,
      flush: async () => void order.push('flush'),
      socketUrl: async () => {
        order.push('url');
        return 'ws://x';
      },
      createSocket: (url) => {
        order.push(`socket ${url}`);
        return create();
      },
    });
    await runner.run('main.py');
    await flush(2);
    expect(order).toEqual(['flush', 'url', 'socket ws://x']);
    const s = sockets[0]!;
    (s as { readyState: number }).readyState = 1;
    s.onopen?.(undefined as never);
    expect(JSON.parse(s.sent[0]!)).toEqual({ type: 'run', entry: 'main.py' });
    s.onmessage?.({ data: JSON.stringify({ type: 'started', runId: 'r', language: 'python', version: '3.11' }) });
    s.onmessage?.({ data: JSON.stringify({ type: 'stdout', data: 'hello Ada\n' }) });
    s.onmessage?.({ data: JSON.stringify({ type: 'exited', status: 'ok', exitCode: 0, wallTimeMs: 420, cpuTimeMs: 50 }) });
    expect(log).toEqual([
      'begin ▶ main.py', 'status starting', 'live true',
      'status running', 'stdout hello Ada\n',
      'note [exited: ok, code 0, 0.42 s wall, 0.05 s CPU]', 'status ok', 'live false',
    ]);
    expect(runner.busy).toBe(false);
  });

  it('a new run replaces the one going: its socket closes and its output is ignored', async () => {
    const { panel, log } = fakePanel();
    const { create, sockets } = socketFactory();
    const runner = new Runner({ panel: () => panel, flush: async () => undefined, socketUrl: async () => 'ws://x', createSocket: create });
    await runner.run('a.py');
    await flush(2);
    await runner.run('b.py');
    await flush(2);
    expect(sockets[0]!.closedWith).toBe(1000);
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'stdout', data: 'stale' }) });
    expect(log.some((l) => l.includes('stale'))).toBe(false);
    expect(sockets).toHaveLength(2);
  });

  it('shows a refused run (rate_limited) as an error status', async () => {
    const { panel, log } = fakePanel();
    const { create, sockets } = socketFactory();
    const runner = new Runner({ panel: () => panel, flush: async () => undefined, socketUrl: async () => 'ws://x', createSocket: create });
    await runner.run('a.py');
    await flush(2);
    (sockets[0] as { readyState: number }).readyState = 1;
    sockets[0]!.onopen?.(undefined as never);
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'error', code: 'rate_limited', message: 'busy' }) });
    expect(log.slice(-3)).toEqual([
      'note [too many runs at once — wait for one to finish and run again (busy)]', 'status error', 'live false',
    ]);
  });

  it('runs on with a warning when the flush fails', async () => {
    const { panel, log } = fakePanel();
    const { create, sockets } = socketFactory();
    const runner = new Runner({ panel: () => panel, flush: async () => Promise.reject(new Error('offline')), socketUrl: async () => 'ws://x', createSocket: create });
    await runner.run('a.py');
    await flush(2);
    expect(log).toContain('note [the latest edits may not be saved yet: offline]');
    expect(sockets).toHaveLength(1);
  });
});
