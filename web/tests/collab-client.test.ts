import TextOperation from 'ot/lib/text-operation';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketLike } from '../src/api/socket-like';
import { CollabConnection } from '../src/ide/collab/connection';
import type { CollabDocument } from '../src/ide/collab/document';
import type { DocumentEvents, LinkState } from '../src/ide/shared-text/documents';

/** A WebSocket the test plays the server of. */
class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly sent: any[] = [];
  closedByClient = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** Frames sent so far of `type`, and forgets them. */
  take(type?: string): any[] {
    const taken = type ? this.sent.filter((f) => f.type === type) : [...this.sent];
    this.sent.splice(0, this.sent.length, ...(type ? this.sent.filter((f) => f.type !== type) : []));
    return taken;
  }
}

interface Recorder extends DocumentEvents {
  resets: string[];
  remote: string[];
  notices: string[];
}

function recorder(): Recorder {
  const r: Recorder = {
    resets: [], remote: [], notices: [],
    reset: (text) => r.resets.push(text),
    remoteOperation: (op, before) => r.remote.push(op.apply(before)),
    peersChanged: () => {},
    stateChanged: () => {},
    notice: (message) => r.notices.push(message),
  };
  return r;
}

const op = (...parts: (number | string)[]) => TextOperation.fromJSON(parts);

describe('collaborative documents over one socket', () => {
  let sockets: FakeSocket[];
  let states: LinkState[];
  let closed: unknown[];
  let sessionEnded: number;
  let connection: CollabConnection;
  let ids: number;

  const socket = () => sockets[sockets.length - 1]!;
  const settle = () => vi.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    closed = [];
    sessionEnded = 0;
    ids = 0;
    connection = new CollabConnection({
      socketUrl: async () => 'ws://test/ws/collab/w1?ticket=t',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
      newId: () => `id-${++ids}`,
      onState: (state) => states.push(state),
      onSessionEnded: () => sessionEnded++,
      onDocumentClosed: (c) => closed.push(c),
    });
  });

  afterEach(() => {
    connection.dispose();
    vi.useRealTimers();
  });

  /** Opens `path` and answers its join with `content` at `revision`. */
  async function joined(path: string, content: string, revision = 0, events = recorder()): Promise<{ doc: CollabDocument; events: Recorder }> {
    const doc = connection.open(path, events);
    await settle();
    if (socket().readyState !== 1) socket().open();
    expect(socket().take('join')).toEqual([{ type: 'join', path }]);
    socket().receive({ type: 'joined', path, revision, readOnly: false, clientId: 'me1', peers: [], content });
    await doc.ready;
    return { doc, events };
  }

  it('joins, and is online once joined', async () => {
    const { doc, events } = await joined('a.py', 'xyz', 4);
    expect(socket().url).toContain('/ws/collab/');
    expect(doc.text).toBe('xyz');
    expect(doc.revision).toBe(4);
    expect(events.resets).toEqual(['xyz']);
    expect(connection.linkState).toBe('online');
    expect(doc.settled).toBe(true);
  });

  it('sends a local edit with a unique id and the revision, and settles on the ack', async () => {
    const { doc } = await joined('a.py', 'xyz', 4);
    doc.edit(op('A', 3));
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 4, id: 'id-1', op: ['A', 3] }]);
    expect(doc.settled).toBe(false);
    socket().receive({ type: 'ack', path: 'a.py', revision: 5, id: 'id-1' });
    expect(doc.settled).toBe(true);
    expect(doc.revision).toBe(5);
    // A second ack of the same id (a resend's) changes nothing.
    socket().receive({ type: 'ack', path: 'a.py', revision: 5, id: 'id-1' });
    expect(doc.revision).toBe(5);
  });

  it('applies a remote op transformed against the pending one, and buffers edits until the ack', async () => {
    const { doc, events } = await joined('a.py', 'xyz');
    doc.edit(op('A', 3)); // outstanding
    doc.edit(op(4, 'C')); // buffered
    expect(socket().take('op')).toHaveLength(1);
    socket().receive({ type: 'op', path: 'a.py', revision: 1, op: [3, 'B'], clientId: 'other', id: 'theirs' });
    // Ties go to this client's edits (ot.js), on the server as here.
    expect(doc.text).toBe('AxyzCB');
    expect(events.remote).toEqual(['AxyzCB']);
    socket().receive({ type: 'ack', path: 'a.py', revision: 2, id: 'id-1' });
    // The buffer goes now, over the server's text at revision 2 ("AxyzB").
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 2, id: 'id-2', op: [4, 'C', 1] }]);
    socket().receive({ type: 'ack', path: 'a.py', revision: 3, id: 'id-2' });
    expect(doc.settled).toBe(true);
    expect(doc.serverText).toBe('AxyzCB');
  });

  it('resumes with its revision after a drop and resends the outstanding op with the same id', async () => {
    const { doc } = await joined('a.py', 'xyz', 7);
    doc.edit(op(3, '!'));
    expect(socket().take('op')[0].id).toBe('id-1');
    const first = socket();
    first.serverClose(1006);
    expect(connection.linkState).toBe('offline');
    await settle();
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'a.py', revision: 7 }]);
    socket().receive({ type: 'joined', path: 'a.py', revision: 7, readOnly: false, clientId: 'me2', peers: [], ops: [] });
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 7, id: 'id-1', op: [3, '!'] }]);
    socket().receive({ type: 'ack', path: 'a.py', revision: 8, id: 'id-1' });
    expect(doc.settled).toBe(true);
    expect(connection.linkState).toBe('online');
  });

  it("takes its own op in a resume's ops as the ack", async () => {
    const { doc, events } = await joined('a.py', 'xyz', 2);
    doc.edit(op(3, '!'));
    socket().take('op');
    socket().serverClose(1006);
    await settle();
    socket().open();
    socket().take('join');
    socket().receive({
      type: 'joined', path: 'a.py', revision: 4, readOnly: false, clientId: 'me2', peers: [],
      ops: [
        { revision: 3, op: [3, '!'], clientId: 'me1', id: 'id-1' },
        { revision: 4, op: ['>', 4], clientId: 'other', id: 'theirs' },
      ],
    });
    expect(socket().take('op')).toEqual([]);
    expect(doc.text).toBe('>xyz!');
    expect(events.remote).toEqual(['>xyz!']);
    expect(doc.revision).toBe(4);
    expect(doc.settled).toBe(true);
    // The late ack of the same id is ignored.
    socket().receive({ type: 'ack', path: 'a.py', revision: 3, id: 'id-1' });
    expect(doc.revision).toBe(4);
  });

  it('keeps edits typed while offline and sends them after the resume', async () => {
    const { doc } = await joined('a.py', 'Z', 0);
    socket().serverClose(1006);
    doc.edit(op(1, 'he'));
    doc.edit(op(3, 'llo'));
    expect(doc.text).toBe('Zhello');
    // Offline: nothing is sent; the next connection attempt is made at once.
    await settle();
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'a.py', revision: 0 }]);
    socket().receive({ type: 'joined', path: 'a.py', revision: 1, readOnly: false, clientId: 'me2', peers: [], ops: [
      { revision: 1, op: ['>', 1], clientId: 'other', id: 'theirs' },
    ] });
    // The first edit was sent (as it was outstanding), transformed; the second waits in the buffer.
    const sent = socket().take('op');
    expect(sent).toEqual([{ type: 'op', path: 'a.py', revision: 1, id: 'id-1', op: [2, 'he'] }]);
    socket().receive({ type: 'ack', path: 'a.py', revision: 2, id: 'id-1' });
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 2, id: 'id-2', op: [4, 'llo'] }]);
    socket().receive({ type: 'ack', path: 'a.py', revision: 3, id: 'id-2' });
    expect(doc.text).toBe('>Zhello');
    expect(doc.settled).toBe(true);
  });

  it('joins afresh on unknown_revision and re-applies unsent edits onto the fresh content', async () => {
    const { doc, events } = await joined('a.py', 'abc', 3);
    socket().serverClose(1006);
    doc.edit(op(3, 'D'));
    await settle();
    socket().open();
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'a.py', revision: 3 }]);
    socket().receive({ type: 'error', code: 'unknown_revision', message: 'revision 3 is not kept any more' });
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'a.py' }]);
    socket().receive({ type: 'joined', path: 'a.py', revision: 40, readOnly: false, clientId: 'me2', peers: [], content: 'X-abc' });
    expect(events.resets).toEqual(['abc', 'X-abc']);
    expect(doc.text).toBe('X-abcD');
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 40, id: 'id-2', op: [5, 'D'] }]);
    expect(events.notices.join(' ')).toMatch(/re-applied/);
  });

  it('multiplexes documents and joins them one at a time; a refused join fails only its document', async () => {
    await joined('a.py', 'a');
    const b = connection.open('b.py', recorder());
    const c = connection.open('c.py', recorder());
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'b.py' }]);
    socket().receive({ type: 'error', code: 'not_found', message: 'no such file' });
    await expect(b.ready).rejects.toThrow(/not_found/);
    expect(socket().take('join')).toEqual([{ type: 'join', path: 'c.py' }]);
    socket().receive({ type: 'joined', path: 'c.py', revision: 0, readOnly: true, clientId: 'me1', peers: [], content: 'c' });
    await c.ready;
    expect(c.readOnly).toBe(true);
    expect(connection.document('b.py')).toBeUndefined();
  });

  it('fires onDocumentClosed for a closed frame (deleted or moved)', async () => {
    const { doc } = await joined('a.py', 'a');
    socket().receive({ type: 'closed', path: 'a.py', reason: 'moved', to: 'src/a.py' });
    expect(closed).toEqual([{ path: 'a.py', reason: 'moved', to: 'src/a.py' }]);
    expect(doc.phase).toBe('closed');
    expect(connection.document('a.py')).toBeUndefined();
  });

  it('stops for good on 4003/4004, and on 4001 tells the app the session ended', async () => {
    await joined('a.py', 'a');
    socket().serverClose(4004);
    await vi.advanceTimersByTimeAsync(30000);
    expect(sockets).toHaveLength(1);
    expect(connection.linkState).toBe('stopped');

    const other = new CollabConnection({
      socketUrl: async () => 'ws://x',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      onSessionEnded: () => sessionEnded++,
    });
    other.open('a.py', recorder());
    await settle();
    socket().open();
    socket().serverClose(4001);
    await vi.advanceTimersByTimeAsync(30000);
    expect(sessionEnded).toBe(1);
    expect(other.linkState).toBe('stopped');
    expect(sockets).toHaveLength(2);
  });

  it('reconnects with growing, jittered delays while the server refuses', async () => {
    await joined('a.py', 'a');
    socket().serverClose(1006);
    await settle();
    expect(sockets).toHaveLength(2);
    socket().serverClose(1006); // refused before it opened
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2); // backing off
    await vi.advanceTimersByTimeAsync(2000);
    expect(sockets).toHaveLength(3);
    expect(states.filter((s) => s === 'online')).toHaveLength(1);
  });

  it('resends the outstanding op after rate_limited', async () => {
    const { doc } = await joined('a.py', 'a');
    doc.edit(op(1, 'b'));
    socket().take('op');
    socket().receive({ type: 'error', code: 'rate_limited', message: 'slow down', id: 'id-1' });
    await vi.advanceTimersByTimeAsync(1500);
    expect(socket().take('op')).toEqual([{ type: 'op', path: 'a.py', revision: 0, id: 'id-1', op: [1, 'b'] }]);
  });

  it('paces what it sends under the server rate', async () => {
    const { doc } = await joined('a.py', '');
    for (let i = 0; i < 200; i++) doc.select([{ anchor: 0, head: 0 }]);
    // Selections coalesce: only the newest is worth sending.
    expect(socket().take('selection').length).toBeLessThanOrEqual(200);
    let n = 0;
    for (let i = 0; i < 100; i++) {
      doc.edit(new TextOperation().retain(n).insert('x'));
      n++;
      const sent = socket().take('op');
      for (const frame of sent) socket().receive({ type: 'ack', path: 'a.py', revision: doc.revision + 1, id: frame.id });
    }
    // 100 ops cannot all go in the same instant: some wait for the pace.
    expect(doc.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    for (let i = 0; i < 10 && !doc.settled; i++) {
      for (const frame of socket().take('op')) socket().receive({ type: 'ack', path: 'a.py', revision: doc.revision + 1, id: frame.id });
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(doc.settled).toBe(true);
    expect(doc.serverText).toBe('x'.repeat(100));
  });
});

describe('an op over the message size limit', () => {
  it('is refused locally and the document joins afresh', async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const connection = new CollabConnection({
      socketUrl: async () => 'ws://x',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      newId: () => 'big',
      maxMessageBytes: 1000,
    });
    const events = recorder();
    const doc = connection.open('a.py', events);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    sockets[0]!.take('join');
    sockets[0]!.receive({ type: 'joined', path: 'a.py', revision: 2, readOnly: false, clientId: 'c', peers: [], content: '' });
    doc.edit(op('x'.repeat(5000)));
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets[0]!.take('op')).toEqual([]);
    expect(sockets[0]!.take('join')).toEqual([{ type: 'join', path: 'a.py' }]);
    expect(events.notices.join(' ')).toMatch(/too large/);
    connection.dispose();
    vi.useRealTimers();
  });
});
