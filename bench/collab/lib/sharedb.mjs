import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { closeSocket, mapLimited, openSocket, randomCharacter, randomPosition } from './sockets.mjs';
import { INITIAL_CONTENT } from './webide.mjs';

const require = createRequire(import.meta.url);
const ShareDBClient = require('sharedb/lib/client');
const otText = require('ot-text');

ShareDBClient.types.register(otText.type);

const COLLECTION = 'docs';

// A ShareDB client as its own browser client is: sharedb's Connection and Doc over a WebSocket,
// submitOp with ot-text operations (one op in flight per document; ops submitted meanwhile are
// composed into one pending op). The socket handed to the Connection is a thin adapter so that
// the benchmark sees every frame at the wire: it parses each incoming frame once, notes an
// operation from another client, and passes the parsed message on (sharedb then does not parse
// it again).
export class ShareDbClient {
  #socket;
  #pendingKeystrokes = [];
  acked = 0;
  errors = [];
  anomalies = [];
  onAck = null;

  constructor(socket, label, recorder, expectedPeers) {
    this.#socket = socket;
    this.label = label;
    this.recorder = recorder;
    this.expectedPeers = expectedPeers;
    const adapter = {
      get readyState() {
        return socket.readyState;
      },
      send: (text) => this.#outgoing(text),
      close: () => socket.close(1000),
      onmessage: null,
      onopen: null,
      onclose: null,
      onerror: null,
    };
    socket.on('message', (data) => {
      const arrivedAt = performance.now();
      const message = JSON.parse(data.toString());
      if (message.a === 'op') {
        // Another client's operation carries `op`; the ack of our own is the same message without it.
        if (message.op !== undefined && message.src !== this.connection.id) this.recorder.arrived(`${message.src}:${message.seq}`, arrivedAt);
        else if (message.op === undefined && message.src === this.connection.id) this.recorder.acknowledged(`${message.src}:${message.seq}`, arrivedAt);
      }
      adapter.onmessage?.({ data: message });
    });
    socket.on('close', (code, reason) => {
      if (!this.closing) this.errors.push(`closed by the server: ${code} ${reason}`);
      adapter.onclose?.(this.closing ? 'closed' : 'disconnected');
    });
    socket.on('error', (error) => adapter.onerror?.(error));
    this.connection = new ShareDBClient.Connection(adapter);
    this.connection.on('error', (error) => this.errors.push(String(error?.message ?? error)));
  }

  static async open(url, docId, label, recorder, expectedPeers) {
    const client = new ShareDbClient(await openSocket(url), label, recorder, expectedPeers);
    await client.#subscribe(docId);
    return client;
  }

  #subscribe(docId) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: not subscribed to ${docId} within 15 s`)), 15000);
      this.doc = this.connection.get(COLLECTION, docId);
      this.doc.on('error', (error) => this.errors.push(String(error?.message ?? error)));
      this.doc.subscribe((error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else if (this.doc.type === null) reject(new Error(`${this.label}: ${docId} does not exist`));
        else resolve();
      });
    });
  }

  get text() {
    return this.doc.data;
  }

  get revision() {
    return this.doc.version;
  }

  get settled() {
    return !this.doc.hasWritePending() && this.#pendingKeystrokes.length === 0;
  }

  keystroke() {
    const typedAt = performance.now();
    const at = randomPosition(this.doc.data.length);
    const character = randomCharacter();
    this.#pendingKeystrokes.push(typedAt);
    this.doc.submitOp(at > 0 ? [at, character] : [character], (error) => {
      if (error) {
        this.errors.push(String(error.message ?? error));
        return;
      }
      this.acked++;
      this.onAck?.();
    });
  }

  #outgoing(text) {
    if (text.startsWith('{"a":"op"')) {
      const message = JSON.parse(text);
      if (message.op !== undefined) {
        this.recorder.sent(`${this.connection.id}:${message.seq}`, this.#pendingKeystrokes, this.expectedPeers);
        this.#pendingKeystrokes = [];
      }
    }
    this.#socket.send(text);
  }

  async close() {
    this.closing = true;
    await closeSocket(this.#socket);
  }
}

export function shareDbTarget(url) {
  let opened = 0;
  return {
    name: 'ShareDB',
    // Documents are created once, with the same initial text as WebIde's files.
    async prepare(docIds) {
      const socket = await openSocket(url);
      const connection = new ShareDBClient.Connection(socket);
      await mapLimited(docIds, 16, (docId) => new Promise((resolve, reject) => {
        connection.get(COLLECTION, docId).create(INITIAL_CONTENT, otText.type.uri, (error) => (error ? reject(error) : resolve()));
      }));
      connection.close();
      await closeSocket(socket);
    },
    async openDocument(docId, count, recorder, expectedPeers = count - 1) {
      const first = opened;
      opened += count;
      const labels = Array.from({ length: count }, (_, index) => `s${first + index}`);
      return mapLimited(labels, 8, (label) => ShareDbClient.open(url, docId, label, recorder, expectedPeers));
    },
    converged(clients) {
      return clients.every((client) => client.settled && client.revision === clients[0].revision && client.text === clients[0].text);
    },
  };
}
