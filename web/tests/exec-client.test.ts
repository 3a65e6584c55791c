// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ExecRun, describeExit, type RunHandlers, type SocketLike } from '../src/ide/run/exec-client';
import { flush } from './helpers';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  closed: number | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.closed = code ?? 1000;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(undefined as never);
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

function recorder() {
  const events: string[] = [];
  const handlers: RunHandlers = {
    onStarted: (s) => events.push(`started ${s.language} ${s.version}`),
    onOutput: (stream, data) => events.push(`${stream} ${data}`),
    onExited: (e) => events.push(`exited ${e.status} ${e.exitCode}`),
    onFailed: (f) => events.push(`failed ${f.code}`),
    onNotice: (f) => events.push(`notice ${f.code}`),
  };
  return { events, handlers };
}

async function startRun(handlers: RunHandlers, request = { entry: 'main.py' }) {
  const sockets: FakeSocket[] = [];
  const run = new ExecRun(handlers);
  run.start(Promise.resolve('ws://h/ws/exec/w?ticket=t'), request, (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  });
  await flush(2);
  return { run, socket: sockets[0]!, sockets };
}

describe('ExecRun', () => {
  it('sends run on open and reports started, output and exited in order, then closes', async () => {
    const { events, handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    expect(socket.url).toBe('ws://h/ws/exec/w?ticket=t');
    expect(run.phase).toBe('connecting');
    socket.open();
    expect(socket.sent).toEqual([{ type: 'run', entry: 'main.py' }]);
    socket.receive({ type: 'started', runId: 'r1', language: 'python', version: '3.11' });
    expect(run.phase).toBe('running');
    socket.receive({ type: 'stdout', data: 'hello\n' });
    socket.receive({ type: 'stderr', data: 'oops\n' });
    socket.receive({ type: 'exited', runId: 'r1', status: 'ok', exitCode: 0, wallTimeMs: 420, cpuTimeMs: 50, peakMemoryBytes: 0, outputTruncated: false });
    expect(events).toEqual(['started python 3.11', 'stdout hello\n', 'stderr oops\n', 'exited ok 0']);
    expect(run.phase).toBe('exited');
    expect(run.active).toBe(false);
    expect(socket.closed).toBe(1000);
  });

  it('queues input typed before the socket opened and sends it after the run message', async () => {
    const { handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    run.stdin('Ada\n');
    run.closeStdin();
    socket.open();
    expect(socket.sent).toEqual([
      { type: 'run', entry: 'main.py' },
      { type: 'stdin', data: 'Ada\n' },
      { type: 'closeStdin' },
    ]);
  });

  it('sends stdin, closeStdin and kill while running, and nothing after exit', async () => {
    const { handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    socket.open();
    socket.receive({ type: 'started', runId: 'r', language: 'python', version: '3' });
    run.stdin('x\n');
    run.closeStdin();
    run.kill();
    expect(socket.sent.slice(1)).toEqual([{ type: 'stdin', data: 'x\n' }, { type: 'closeStdin' }, { type: 'kill' }]);
    socket.receive({ type: 'exited', status: 'killed', exitCode: 137, wallTimeMs: 1, cpuTimeMs: 1 });
    const count = socket.sent.length;
    run.stdin('late\n');
    expect(socket.sent.length).toBe(count);
  });

  it('treats an error frame before started as a refused run', async () => {
    const { events, handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    socket.open();
    socket.receive({ type: 'error', code: 'rate_limited', message: 'too many runs' });
    expect(events).toEqual(['failed rate_limited']);
    expect(run.phase).toBe('failed');
    expect(socket.closed).toBe(1000);
  });

  it('keeps running after an error frame about a single message', async () => {
    const { events, handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    socket.open();
    socket.receive({ type: 'started', runId: 'r', language: 'python', version: '3' });
    socket.receive({ type: 'error', code: 'invalid_message', message: 'bad' });
    expect(run.active).toBe(true);
    socket.receive({ type: 'exited', status: 'runtime_error', exitCode: 1, wallTimeMs: 5, cpuTimeMs: 2 });
    expect(events).toEqual(['started python 3', 'notice invalid_message', 'exited runtime_error 1']);
  });

  it('reports a socket lost mid-run as a failed connection', async () => {
    const { events, handlers } = recorder();
    const { socket } = await startRun(handlers);
    socket.open();
    socket.receive({ type: 'started', runId: 'r', language: 'python', version: '3' });
    socket.drop();
    expect(events.at(-1)).toBe('failed connection');
  });

  it('fails when the socket URL cannot be had (signed out), without opening a socket', async () => {
    const { events, handlers } = recorder();
    const run = new ExecRun(handlers);
    let opened = 0;
    run.start(Promise.reject(new Error('Signed out')), { entry: 'a.py' }, (url) => {
      opened++;
      return new FakeSocket(url);
    });
    await flush(2);
    expect(opened).toBe(0);
    expect(events).toEqual(['failed connection']);
  });

  it('dispose closes the socket (which kills the run) and reports nothing more', async () => {
    const { events, handlers } = recorder();
    const { run, socket } = await startRun(handlers);
    socket.open();
    run.dispose();
    expect(socket.closed).toBe(1000);
    socket.receive({ type: 'stdout', data: 'late' });
    expect(events).toEqual([]);
    expect(run.phase).toBe('disposed');
  });

  it('a kill before the socket exists ends the attempt at once', () => {
    const { events, handlers } = recorder();
    const run = new ExecRun(handlers);
    run.kill();
    expect(events).toEqual(['failed killed']);
  });
});

describe('describeExit', () => {
  it('gives status, code, wall and CPU time', () => {
    expect(describeExit({ status: 'ok', exitCode: 0, wallTimeMs: 420, cpuTimeMs: 50 })).toBe('[exited: ok, code 0, 0.42 s wall, 0.05 s CPU]');
  });
  it('adds memory and truncation when known', () => {
    expect(describeExit({ status: 'output_limit', exitCode: 137, wallTimeMs: 1000, cpuTimeMs: 990, peakMemoryBytes: 11.5 * 1024 * 1024, outputTruncated: true }))
      .toBe('[exited: output_limit, code 137, 1.00 s wall, 0.99 s CPU, 11.5 MiB peak, output truncated]');
  });
});
