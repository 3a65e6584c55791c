import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { closeSocket, mapLimited, openSocket, randomCharacter, randomPosition } from './sockets.mjs';

const require = createRequire(import.meta.url);
// ot.js, imported per file: its main entry pulls in a socket.io server.
const TextOperation = require('ot/lib/text-operation');
const OtClient = require('ot/lib/client');

const PASSWORD = 'collab benchmark password';
export const INITIAL_CONTENT = '// collaborative editing benchmark\n';

// Users and one workspace for the benchmark, made through the gateway's REST API: `users`
// accounts (clients take their tokens in turn), the first the owner, the others editors.
export async function preparePlatform(baseUrl, { users }) {
  const call = async (method, path, { token, json, body } = {}) => {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: json !== undefined ? JSON.stringify(json) : body });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return text.length > 0 && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  };

  const run = randomBytes(4).toString('hex');
  const names = Array.from({ length: users }, (_, index) => `cb-${run}-${index}`);
  const login = async (username) => (await call('POST', '/api/auth/login', { json: { username, password: PASSWORD } })).accessToken;
  // Logins are a deliberately slow password hash: a few at a time.
  const tokens = await mapLimited(names, 2, async (username) => {
    await call('POST', '/api/auth/register', { json: { username, password: PASSWORD } });
    return login(username);
  });
  let issuedAt = Date.now();
  // An access token lives 15 minutes and a full run takes far longer; a socket's token is checked
  // once, at the upgrade. Before a phase, tokens older than `maxAgeMs` are replaced in place (every
  // target holds this same array).
  const renewTokens = async (maxAgeMs) => {
    if (Date.now() - issuedAt < maxAgeMs) return;
    const fresh = await mapLimited(names, 2, login);
    tokens.splice(0, tokens.length, ...fresh);
    issuedAt = Date.now();
  };
  const workspace = await call('POST', '/api/workspaces', { token: tokens[0], json: { name: `collab-bench-${run}` } });
  for (const username of names.slice(1)) {
    await call('PUT', `/api/workspaces/${workspace.id}/members/${username}`, { token: tokens[0], json: { role: 'editor' } });
  }
  return { workspaceId: workspace.id, tokens, renewTokens };
}

// Files of INITIAL_CONTENT, one per document, made before a phase (not measured).
export async function createFiles(baseUrl, platform, paths) {
  await mapLimited(paths, 4, async (path) => {
    const response = await fetch(new URL(`/api/workspaces/${platform.workspaceId}/files/${path}`, baseUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${platform.tokens[0]}` },
      body: INITIAL_CONTENT,
    });
    if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    await response.arrayBuffer().catch(() => {});
  });
}

function socketUrl(baseUrl, path, token) {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('access_token', token);
  return url;
}

// A WebIde collaborative-editing client as the browser's is: ot.js's client state machine (one
// operation in flight; keystrokes typed meanwhile are composed into one buffered operation, sent
// when the ack comes), the document kept as text so that convergence can be checked at the end.
export class WebIdeClient {
  #socket;
  #ot;
  #pendingKeystrokes = [];
  #sequence = 0;
  #outstandingId = null;
  #joined = null;
  #selection = null; // the local cursor, not yet sent
  acked = 0;
  selectionsSent = 0;
  selectionsReceived = 0;
  errors = [];
  anomalies = [];
  text = '';
  clientId = null;

  // selections: after each keystroke the cursor is after the typed character and is sent as
  // the web app's editor sends it (web/src/ide/collab/document.ts, sendSelectionIfPlaceable):
  // at once unless typed edits are buffered behind the operation in flight, else after the ack.
  constructor(socket, path, label, recorder, expectedPeers, { selections = false } = {}) {
    this.#socket = socket;
    this.path = path;
    this.label = label;
    this.recorder = recorder;
    this.expectedPeers = expectedPeers;
    this.selections = selections;
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', (code, reason) => {
      if (!this.closing) this.errors.push(`closed by the server: ${code} ${reason}`);
    });
  }

  static async open(baseUrl, workspaceId, token, path, label, recorder, expectedPeers, options) {
    const socket = await openSocket(socketUrl(baseUrl, `/ws/collab/${workspaceId}`, token));
    const client = new WebIdeClient(socket, path, label, recorder, expectedPeers, options);
    await client.#join();
    return client;
  }

  #join() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no "joined" for ${this.path} within 15 s`)), 15000);
      this.#joined = (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      this.#socket.send(JSON.stringify({ type: 'join', path: this.path }));
    });
  }

  get revision() {
    return this.#ot?.revision;
  }

  // Nothing typed that the server has not acknowledged.
  get settled() {
    return this.#outstandingId === null && this.#pendingKeystrokes.length === 0;
  }

  // The user types one character at a random place; dueAt: when the schedule typed it.
  keystroke(dueAt = performance.now()) {
    const length = this.text.length;
    const at = randomPosition(length);
    const operation = new TextOperation().retain(at).insert(randomCharacter()).retain(length - at);
    this.text = operation.apply(this.text);
    this.#pendingKeystrokes.push(dueAt);
    this.#ot.applyClient(operation); // sends now, or composes into the buffer while one is in flight
    if (this.selections) {
      this.#selection = [{ anchor: at + 1, head: at + 1 }];
      this.#sendSelectionIfPlaceable();
    }
  }

  #sendSelectionIfPlaceable() {
    if (this.#selection === null || this.#ot.state instanceof OtClient.AwaitingWithBuffer) return;
    this.#socket.send(JSON.stringify({ type: 'selection', path: this.path, selections: this.#selection }));
    this.#selection = null;
    this.selectionsSent++;
  }

  #send(revision, operation) {
    const id = `${this.label}.${this.#sequence++}`;
    this.recorder.sent(id, this.#pendingKeystrokes, this.expectedPeers);
    this.#pendingKeystrokes = [];
    this.#outstandingId = id;
    this.#socket.send(JSON.stringify({ type: 'op', path: this.path, revision, id, op: operation.toJSON() }));
  }

  #receive(data, isBinary) {
    const arrivedAt = performance.now();
    if (isBinary) {
      this.anomalies.push('binary frame');
      return;
    }
    const raw = data.toString();
    const message = JSON.parse(raw);
    switch (message.type) {
      case 'op': {
        this.recorder.arrived(message.id, arrivedAt);
        if (message.path !== this.path) break;
        if (message.revision !== this.#ot.revision + 1) this.anomalies.push(`op at revision ${message.revision} after ${this.#ot.revision}: ${raw.slice(0, 200)}`);
        this.#ot.applyServer(TextOperation.fromJSON(message.op));
        break;
      }
      case 'ack': {
        this.recorder.acknowledged(message.id, arrivedAt);
        if (message.id !== this.#outstandingId) this.anomalies.push(`ack of ${message.id} while ${this.#outstandingId} is outstanding`);
        if (message.revision !== this.#ot.revision + 1) this.anomalies.push(`ack at revision ${message.revision} after ${this.#ot.revision}: ${raw.slice(0, 200)}`);
        this.#outstandingId = null;
        this.acked++;
        this.#ot.serverAck(); // sends the buffered keystrokes, if any
        this.#sendSelectionIfPlaceable();
        break;
      }
      case 'joined': {
        this.clientId = message.clientId;
        this.text = message.content ?? '';
        this.#ot = new OtClient(message.revision ?? 0);
        this.#ot.sendOperation = (revision, operation) => this.#send(revision, operation);
        this.#ot.applyOperation = (operation) => {
          this.text = operation.apply(this.text);
        };
        this.#joined?.();
        break;
      }
      case 'error': {
        this.errors.push(raw);
        if (this.#ot === undefined) this.#joined?.(new Error(`${this.label}: join refused: ${raw}`));
        break;
      }
      case 'selection':
        this.selectionsReceived++;
        break;
      default:
        break; // peers joining and leaving
    }
  }

  async close() {
    this.closing = true;
    await closeSocket(this.#socket);
  }
}

// WebIde through `baseUrls` (the gateway, or each collaboration instance directly: documents
// are dealt out over them in turn, every client of a document on the same instance, since one
// instance owns a document and a client elsewhere would take it over). Documents are files
// made through the gateway's REST API.
export function webIdeTarget({ key, label, baseUrls, gatewayUrl, platform }) {
  let opened = 0;
  let documents = 0;
  return {
    key,
    label,
    async prepare(paths) {
      await createFiles(gatewayUrl, platform, paths);
    },
    async openDocument(path, count, recorder, options = {}) {
      const first = opened;
      opened += count;
      const baseUrl = baseUrls[documents++ % baseUrls.length];
      const labels = Array.from({ length: count }, (_, index) => `w${first + index}`);
      return mapLimited(labels, 8, (clientLabel, index) =>
        WebIdeClient.open(baseUrl, platform.workspaceId, platform.tokens[(first + index) % platform.tokens.length], path, clientLabel, recorder, count - 1, options));
    },
    // Every client has seen every acknowledged operation and holds the same text.
    converged(clients) {
      return clients.every((client) => client.settled && client.revision === clients[0].revision && client.text === clients[0].text);
    },
  };
}
