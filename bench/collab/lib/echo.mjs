import { performance } from 'node:perf_hooks';
import { closeSocket, mapLimited, openSocket, randomCharacter, randomPosition } from './sockets.mjs';

// The floor: WebIde's echo socket (`/ws/echo`, through the same gateway hop and token check as
// `/ws/collab`, answered by the collaboration service with each text frame sent back). A
// keystroke is one frame shaped and sized like a WebIde op frame, sent at once (nothing to wait
// for, nothing to compose). Measured: from the keystroke until the frame is back on the same
// socket — the path sender → gateway → service → gateway → receiver that a keystroke takes to a
// peer, without OT, storage or fan-out. With `fanOut`, a keystroke is instead sent once on every
// other client's socket and completes when the last echo is back: as many frames reach the load
// generator as with a real fan-out (but as many go up, too).
export class EchoClient {
  #socket;
  #sequence = 0;
  #outstanding = 0;
  #length = 0;
  acked = 0;
  errors = [];
  anomalies = [];
  onAck = null;
  group = null; // the other clients, when fanning out

  constructor(socket, label, recorder, path) {
    this.#socket = socket;
    this.label = label;
    this.recorder = recorder;
    this.path = path;
    socket.on('message', (data) => {
      const arrivedAt = performance.now();
      const message = JSON.parse(data.toString());
      this.recorder.arrived(message.id, arrivedAt);
      this.recorder.acknowledged(message.id, arrivedAt);
      this.#outstanding--;
      this.acked++;
      this.onAck?.();
    });
    socket.on('close', (code, reason) => {
      if (!this.closing) this.errors.push(`closed by the server: ${code} ${reason}`);
    });
  }

  get settled() {
    return this.#outstanding === 0;
  }

  keystroke() {
    const typedAt = performance.now();
    const at = randomPosition(this.#length);
    const id = `${this.label}.${this.#sequence}`;
    const frame = JSON.stringify({ type: 'op', path: this.path, revision: this.#sequence++, id, op: [at, randomCharacter(), this.#length - at].filter((part) => part !== 0) });
    this.#length++;
    const senders = this.group === null ? [this] : this.group.filter((client) => client !== this);
    this.recorder.sent(id, [typedAt], senders.length);
    for (const sender of senders) sender.sendRaw(frame);
  }

  sendRaw(frame) {
    this.#outstanding++;
    this.#socket.send(frame);
  }

  async close() {
    this.closing = true;
    await closeSocket(this.#socket);
  }
}

export function echoTarget(baseUrl, platform, { fanOut = false } = {}) {
  let opened = 0;
  return {
    name: fanOut ? 'echo, fanned out' : 'echo',
    async openDocument(path, count, recorder) {
      const first = opened;
      opened += count;
      const labels = Array.from({ length: count }, (_, index) => `e${first + index}`);
      const clients = await mapLimited(labels, 8, async (label, index) => {
        const url = new URL('/ws/echo', baseUrl);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        url.searchParams.set('access_token', platform.tokens[(first + index) % platform.tokens.length]);
        return new EchoClient(await openSocket(url), label, recorder, path);
      });
      if (fanOut) for (const client of clients) client.group = clients;
      return clients;
    },
    converged: () => true,
  };
}
