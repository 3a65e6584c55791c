import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { closeSocket, mapLimited, openSocket, randomCharacter, randomPosition } from './sockets.mjs';
import { textType } from './text-type.mjs';
import { INITIAL_CONTENT } from './webide.mjs';

const require = createRequire(import.meta.url);
const ShareDBClient = require('sharedb/lib/client');

ShareDBClient.types.register(textType);

const COLLECTION = 'docs';

// A ShareDB client as its own browser client is: sharedb's Connection and Doc over a WebSocket,
// submitOp with ot-text operations (one op in flight per document; ops submitted meanwhile are
// composed into one pending op). The socket handed to the Connection is a thin adapter so that
// the benchmark sees every frame at the wire: it parses each incoming frame once, notes an
// operation from another client, and passes the parsed message on (sharedb then does not parse
// it again).
//
// With `selections`, the cursor after each keystroke goes out through ShareDB's presence API
// (Connection#getDocPresence, LocalPresence#submit): sharedb itself holds a document's presence
// until nothing of the document is pending, then sends it with the document's version; the
// server transforms it to the latest version and relays it to the document's other clients.
// As with the WebIde client, only the latest cursor waits: a submit while one is unanswered
// replaces the value that goes out next.
export class ShareDbClient {
  #socket;
  #pendingKeystrokes = [];
  #presence = null;
  #presenceBusy = false;
  #presenceNext = null;
  acked = 0;
  selectionsSent = 0;
  selectionsReceived = 0;
  errors = [];
  anomalies = [];

  constructor(socket, label, recorder, expectedPeers, { selections = false } = {}) {
    this.#socket = socket;
    this.label = label;
    this.recorder = recorder;
    this.expectedPeers = expectedPeers;
    this.selections = selections;
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
      } else if (message.a === 'p' && message.id !== this.label && message.error === undefined) {
        this.selectionsReceived++;
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

  static async open(url, docId, label, recorder, expectedPeers, options) {
    const client = new ShareDbClient(await openSocket(url), label, recorder, expectedPeers, options);
    await client.#subscribe(docId);
    return client;
  }

  async #subscribe(docId) {
    await new Promise((resolve, reject) => {
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
    if (!this.selections) return;
    const presence = this.connection.getDocPresence(COLLECTION, docId);
    presence.on('error', (error) => this.errors.push(`presence: ${error?.message ?? error}`));
    await new Promise((resolve, reject) => presence.subscribe((error) => (error ? reject(error) : resolve())));
    this.#presence = presence.create(this.label);
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

  keystroke(dueAt = performance.now()) {
    const at = randomPosition(this.doc.data.length);
    const character = randomCharacter();
    this.#pendingKeystrokes.push(dueAt);
    this.doc.submitOp(at > 0 ? [at, character] : [character], (error) => {
      if (error) {
        this.errors.push(String(error.message ?? error));
        return;
      }
      this.acked++;
    });
    if (this.#presence !== null) this.#submitCursor(at + 1);
  }

  #submitCursor(position) {
    if (this.#presenceBusy) {
      this.#presenceNext = position;
      return;
    }
    this.#presenceBusy = true;
    this.selectionsSent++;
    this.#presence.submit(position, (error) => {
      this.#presenceBusy = false;
      if (error) this.errors.push(`presence: ${error.message ?? error}`);
      if (this.#presenceNext !== null && !this.closing) {
        const next = this.#presenceNext;
        this.#presenceNext = null;
        this.#submitCursor(next);
      }
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

// ShareDB at `urls` (one server, or the instances of a durable one: clients are dealt out over
// them in turn), or through the gateway when `tokens` are given (each socket then carries a
// user's token as access_token, checked by the gateway as on /ws/collab).
export function shareDbTarget({ key, label, urls, tokens = null }) {
  let opened = 0;
  const urlFor = (index) => {
    const url = new URL(urls[index % urls.length]);
    if (tokens !== null) url.searchParams.set('access_token', tokens[index % tokens.length]);
    return url;
  };
  return {
    key,
    label,
    // Documents are created before a phase, with the same initial text as WebIde's files.
    async prepare(docIds) {
      const socket = await openSocket(urlFor(0));
      const connection = new ShareDBClient.Connection(socket);
      await mapLimited(docIds, 16, (docId) => new Promise((resolve, reject) => {
        connection.get(COLLECTION, docId).create(INITIAL_CONTENT, textType.uri, (error) => (error ? reject(error) : resolve()));
      }));
      connection.close();
      await closeSocket(socket);
    },
    async openDocument(docId, count, recorder, options = {}) {
      const first = opened;
      opened += count;
      const labels = Array.from({ length: count }, (_, index) => `s${first + index}`);
      return mapLimited(labels, 8, (clientLabel, index) => ShareDbClient.open(urlFor(first + index), docId, clientLabel, recorder, count - 1, options));
    },
    converged(clients) {
      return clients.every((client) => client.settled && client.revision === clients[0].revision && client.text === clients[0].text);
    },
  };
}
