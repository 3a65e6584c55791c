import { performance } from 'node:perf_hooks';
import { closeSocket, mapLimited, openSocket, randomCharacter, randomPosition } from './sockets.mjs';

// The floor: WebIde's echo socket (`/ws/echo`, through the same gateway hop and token check as
// `/ws/collab`, or on a collaboration instance directly, answered by the collaboration service
// with each text frame sent back). A keystroke is one frame shaped and sized like a WebIde op
// frame, sent at once (nothing to wait for, nothing to compose); with `selections`, a frame
// shaped like a selection follows it. Measured: from the keystroke until its frame is back on
// the same socket — the path sender → gateway → service → gateway → receiver that a keystroke
// takes to a peer, without OT, storage or fan-out.
export class EchoClient {
  #socket;
  #sequence = 0;
  #outstanding = 0;
  #length = 0;
  acked = 0;
  selectionsSent = 0;
  selectionsReceived = 0;
  errors = [];
  anomalies = [];

  constructor(socket, label, recorder, path, { selections = false } = {}) {
    this.#socket = socket;
    this.label = label;
    this.recorder = recorder;
    this.path = path;
    this.selections = selections;
    socket.on('message', (data) => {
      const arrivedAt = performance.now();
      const message = JSON.parse(data.toString());
      this.#outstanding--;
      if (message.type === 'selection') {
        this.selectionsReceived++;
        return;
      }
      this.recorder.arrived(message.id, arrivedAt);
      this.recorder.acknowledged(message.id, arrivedAt);
      this.acked++;
    });
    socket.on('close', (code, reason) => {
      if (!this.closing) this.errors.push(`closed by the server: ${code} ${reason}`);
    });
  }

  get settled() {
    return this.#outstanding === 0;
  }

  keystroke(dueAt = performance.now()) {
    const at = randomPosition(this.#length);
    const id = `${this.label}.${this.#sequence}`;
    const frame = JSON.stringify({ type: 'op', path: this.path, revision: this.#sequence++, id, op: [at, randomCharacter(), this.#length - at].filter((part) => part !== 0) });
    this.#length++;
    this.recorder.sent(id, [dueAt], 1);
    this.#send(frame);
    if (this.selections) {
      this.#send(JSON.stringify({ type: 'selection', path: this.path, selections: [{ anchor: at + 1, head: at + 1 }] }));
      this.selectionsSent++;
    }
  }

  #send(frame) {
    this.#outstanding++;
    this.#socket.send(frame);
  }

  async close() {
    this.closing = true;
    await closeSocket(this.#socket);
  }
}

export function echoTarget({ key, label, baseUrls, platform }) {
  let opened = 0;
  return {
    key,
    label,
    async prepare() {},
    async openDocument(path, count, recorder, options = {}) {
      const first = opened;
      opened += count;
      const labels = Array.from({ length: count }, (_, index) => `e${first + index}`);
      return mapLimited(labels, 8, async (clientLabel, index) => {
        const url = new URL('/ws/echo', baseUrls[(first + index) % baseUrls.length]);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        url.searchParams.set('access_token', platform.tokens[(first + index) % platform.tokens.length]);
        return new EchoClient(await openSocket(url), clientLabel, recorder, path, options);
      });
    },
    converged: () => true,
  };
}
