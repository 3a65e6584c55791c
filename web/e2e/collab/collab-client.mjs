// One collaborative editor over the §4 WebSocket contract: ot.js's own Client state machine
// (Synchronized / AwaitingConfirm / AwaitingWithBuffer) holding a plain string document.
//
// The protocol choices ot.js leaves to its user, as the collaboration service defines them:
// - revisions count applied operations from 0; `joined.revision` is the revision of
//   `content` (fresh join) or the head after `ops` (resume);
// - an operation carries a unique `id`; a resend after a reconnect keeps its `id`, and the
//   server applies an `id` at most once (a duplicate is acknowledged again);
// - on a resume, `ops` may hold this client's own operation, sent on the previous
//   connection: recognised by `id`, it acknowledges the outstanding operation;
// - an `ack` or `op` whose `id` was already treated as acknowledged is ignored;
// - `unknown_revision` means: join afresh and drop local state.
//
// Anything else the server sends that contradicts the contract is recorded in `violations`;
// the caller decides what fails.

import { randomUUID } from 'node:crypto';
import Client from 'ot/lib/client.js';
import TextOperation from 'ot/lib/text-operation.js';
import WebSocket from 'ws';

// How long one attempt may wait for the upgrade's answer, by attempt. A reconnect attempt
// that lands on a dead instance may hang rather than fail (seen after a kill); a short first
// wait lets the next attempt reach a live one, longer ones still get through on a loaded
// machine. A first connect is not in a hurry: abandoning slow upgrades there only adds load.
const RECONNECT_ATTEMPT_MS = [1000, 1000, 1500, 2000, 3000];
const FIRST_CONNECT_ATTEMPT_MS = 3000;
const RECONNECT_GIVE_UP_MS = 20000;
const RETRY_DELAYS_MS = [0, 25, 50, 100, 200, 250];

export class CollabClient extends Client {
  /**
   * @param {object} options
   * @param {string} options.url gateway base URL (http://host:port)
   * @param {string} options.workspaceId
   * @param {string} options.path
   * @param {() => Promise<string>} options.accessToken
   * @param {string} options.name for messages
   * @param {(line: string) => void} [options.trace] every frame in and out, when debugging
   */
  constructor({ url, workspaceId, path, accessToken, name, trace }) {
    super(0);
    this.socketUrl = `${url.replace(/^http/, 'ws')}/ws/collab/${encodeURIComponent(workspaceId)}`;
    this.path = path;
    this.accessToken = accessToken;
    this.name = name;
    this.trace = trace;

    this.text = '';
    this.hasDocument = false;
    this.serverClientId = null;
    /** 'offline' | 'connecting' | 'joining' | 'live' | 'closed' */
    this.phase = 'offline';
    this.socket = null;
    this.outstandingId = null;
    this.resending = false;
    this.acknowledgedIds = new Set();

    // Markers of the local edits not yet sent (ot.js composes them into one operation),
    // then of each sent operation by id, until it is acknowledged.
    this.unsentMarkers = { inserted: [], deleted: [] };
    this.markersById = new Map();
    this.acknowledgedInserts = [];
    this.acknowledgedDeletes = [];
    /** Deletes that may or may not have been applied (dropped by an `unknown_revision`). */
    this.uncertainDeletes = [];

    this.violations = [];
    this.errors = [];
    this.fatal = null;
    this.stats = {
      edits: 0, sent: 0, resent: 0, acked: 0, acksAsOwnOp: 0, duplicatesIgnored: 0, remoteOps: 0,
      disconnects: 0, serverDrops: 0, dropsWithOutstanding: 0, resumes: 0, freshJoins: 0,
      unknownRevisions: 0, droppedOps: 0, rateLimited: 0, connectRetries: 0,
    };
    /** Why connection attempts failed (before a retry), with counts. */
    this.connectFailures = {};
    /** Resume times in ms: from the socket dropping (or the reconnect starting) to `joined`. */
    this.resumeMs = [];
    this.serverDropResumeMs = [];

    this.dropStartedAt = null;
    this.dropWasServer = false;
    this.joinWaiters = [];
    this.reconnectTimer = null;
  }

  // ------------------------------------------------------------------ ot.js hooks

  sendOperation(revision, operation) {
    if (!this.resending) {
      this.outstandingId = randomUUID();
      this.markersById.set(this.outstandingId, this.unsentMarkers);
      this.unsentMarkers = { inserted: [], deleted: [] };
      this.stats.sent++;
    } else {
      this.stats.resent++;
    }
    // Sent only on a live connection; otherwise the resend after the next join sends it.
    if (this.phase === 'live') {
      this.#send({ type: 'op', path: this.path, revision, id: this.outstandingId, op: operation.toJSON() });
    }
  }

  applyOperation(operation) {
    this.text = operation.apply(this.text);
  }

  // ------------------------------------------------------------------ editing

  get synchronized() {
    return this.state instanceof Client.Synchronized;
  }

  /** True when connected, joined, and nothing of this client's waits for the server. */
  get idle() {
    return this.phase === 'live' && this.synchronized;
  }

  /** A local edit, as the editor would report it: `{operation, inserted, deleted}`. */
  edit({ operation, inserted, deleted }) {
    if (!this.hasDocument) {
      throw new Error(`${this.name}: edit before the document was loaded`);
    }
    this.stats.edits++;
    this.unsentMarkers.inserted.push(...inserted);
    this.unsentMarkers.deleted.push(...deleted);
    this.text = operation.apply(this.text);
    this.applyClient(operation);
  }

  // ------------------------------------------------------------------ connection

  /** Connects and joins; resolves once joined (fresh or resumed). */
  async connect() {
    this.#openWithRetries(Date.now());
    await this.waitJoined();
  }

  waitJoined() {
    if (this.phase === 'live') {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.joinWaiters.push({ resolve, reject }));
  }

  /**
   * Drops the connection abruptly (no close frame, as a lost network would), then reconnects
   * after `reconnectAfterMs` and resumes.
   */
  disconnectAbruptly(reconnectAfterMs) {
    if (this.phase !== 'live' && this.phase !== 'joining') {
      return false;
    }
    this.stats.disconnects++;
    const socket = this.socket;
    this.#forgetSocket();
    socket.terminate();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.#openWithRetries(Date.now());
    }, reconnectAfterMs);
    return true;
  }

  /** Leaves for good. */
  close() {
    this.phase = 'closed';
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.#forgetSocket();
    if (socket) {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: 'leave', path: this.path }));
        socket.close(1000);
      } else {
        socket.terminate();
      }
    }
    this.#rejectJoinWaiters(new Error(`${this.name}: closed`));
  }

  #forgetSocket() {
    if (this.socket) {
      this.socket.removeAllListeners();
      // A socket being torn down may still emit an error; it must not crash the process.
      this.socket.on('error', () => {});
    }
    this.socket = null;
    if (this.phase !== 'closed') {
      this.phase = 'offline';
    }
  }

  #openWithRetries(startedAt, attempt = 0) {
    if (this.phase === 'closed') {
      return;
    }
    if (Date.now() - startedAt > RECONNECT_GIVE_UP_MS) {
      this.#fail(`could not connect and join within ${RECONNECT_GIVE_UP_MS} ms (${attempt} attempts)`);
      return;
    }
    if (this.dropStartedAt === null) {
      this.dropStartedAt = startedAt;
    }
    this.phase = 'connecting';
    const token = this.accessToken();
    Promise.resolve(token).then(
      (accessToken) => this.#open(accessToken, startedAt, attempt),
      (error) => this.#fail(`no access token: ${error.message}`),
    );
  }

  #open(accessToken, startedAt, attempt) {
    if (this.phase === 'closed') {
      return;
    }
    const socket = new WebSocket(`${this.socketUrl}?access_token=${encodeURIComponent(accessToken)}`, {
      perMessageDeflate: false,
      handshakeTimeout: this.hasDocument ? RECONNECT_ATTEMPT_MS[Math.min(attempt, RECONNECT_ATTEMPT_MS.length - 1)] : FIRST_CONNECT_ATTEMPT_MS,
    });
    this.socket = socket;
    let settled = false;
    const attemptStartedAt = Date.now();
    const retry = (failure) => {
      if (settled || this.socket !== socket) {
        return;
      }
      const why = `${this.hasDocument ? 'reconnect' : 'first connect'}: ${failure} (after ${Math.round((Date.now() - attemptStartedAt) / 250) * 250} ms)`;
      settled = true;
      this.#forgetSocket();
      socket.terminate();
      this.stats.connectRetries++;
      this.lastConnectFailure = why;
      this.connectFailures[why] = (this.connectFailures[why] ?? 0) + 1;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.#openWithRetries(startedAt, attempt + 1);
      }, delay);
    };

    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      const status = response.statusCode;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        // Refused for good (no such route, workspace or right): retrying cannot help.
        settled = true;
        this.#forgetSocket();
        socket.terminate();
        this.#fail(`the upgrade was answered ${status}`);
        return;
      }
      retry(`upgrade answered ${status}`);
    });
    socket.on('error', (error) => retry(`socket error: ${error.message}`));
    socket.on('close', (code) => {
      if (!settled && this.phase === 'joining') {
        // Closed before the join was answered: the connection was never usable.
        retry(`closed (${code}) before joined`);
      } else if (this.socket === socket) {
        this.#onDropped(code);
      }
    });
    socket.on('open', () => {
      this.phase = 'joining';
      const join = { type: 'join', path: this.path };
      if (this.hasDocument) {
        join.revision = this.revision;
      }
      this.#send(join);
    });
    socket.on('message', (data) => {
      if (this.socket !== socket) {
        return;
      }
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        this.#violation(`a frame that is not JSON: ${data.toString().slice(0, 200)}`);
        return;
      }
      this.trace?.(`${this.name} <- ${JSON.stringify(frame)}`);
      if (frame.type === 'joined') {
        settled = true;
      }
      this.#onFrame(frame);
    });
  }

  /** The server (or the gateway) closed a live connection: resume at once. */
  #onDropped(code) {
    this.stats.serverDrops++;
    if (this.outstandingId !== null && !this.synchronized) {
      this.stats.dropsWithOutstanding++;
    }
    this.lastDropCode = code;
    this.#forgetSocket();
    this.dropWasServer = true;
    this.#openWithRetries(Date.now());
  }

  #send(frame) {
    this.trace?.(`${this.name} -> ${JSON.stringify(frame)}`);
    this.socket.send(JSON.stringify(frame));
  }

  // ------------------------------------------------------------------ frames

  #onFrame(frame) {
    switch (frame.type) {
      case 'joined':
        this.#onJoined(frame);
        break;
      case 'op':
        if (this.phase !== 'live') {
          this.#violation(`an op before joined: ${JSON.stringify(frame)}`);
          return;
        }
        this.#onServerOp(frame);
        break;
      case 'ack':
        this.#onAck(frame);
        break;
      case 'error':
        this.#onError(frame);
        break;
      case 'closed':
        // The file was deleted or moved under the session: never done by these sessions.
        this.#fail(`the server closed the document: ${JSON.stringify(frame).slice(0, 300)}`);
        break;
      case 'selection':
      case 'peer-joined':
      case 'peer-left':
        break;
      default:
        this.#violation(`a frame of unknown type: ${JSON.stringify(frame).slice(0, 300)}`);
    }
  }

  #onJoined(frame) {
    if (this.phase !== 'joining') {
      this.#violation(`joined while ${this.phase}`);
      return;
    }
    if (frame.path !== this.path) {
      this.#violation(`joined for ${frame.path}, asked ${this.path}`);
    }
    this.serverClientId = frame.clientId;
    const resuming = this.hasDocument;
    if (!resuming) {
      if (typeof frame.content !== 'string' || !Number.isInteger(frame.revision)) {
        this.#fail(`fresh joined without content/revision: ${JSON.stringify(frame).slice(0, 300)}`);
        return;
      }
      // Back to ot.js's initial state (Synchronized) at the server's revision.
      Client.call(this, frame.revision);
      this.text = frame.content;
      this.hasDocument = true;
      this.stats.freshJoins++;
    } else {
      if (!Array.isArray(frame.ops)) {
        this.#fail(`resume (join at revision ${this.revision}) answered without ops: ${JSON.stringify(frame).slice(0, 300)}`);
        return;
      }
      for (const entry of frame.ops) {
        this.#onServerOp(entry);
        if (this.fatal) {
          return;
        }
      }
      if (frame.revision !== this.revision) {
        this.#violation(`resume: joined.revision ${frame.revision} but its ops lead to ${this.revision}`);
      }
      this.stats.resumes++;
    }

    this.phase = 'live';
    if (resuming) {
      this.resending = true;
      try {
        this.serverReconnect();
      } finally {
        this.resending = false;
      }
    }
    if (this.dropStartedAt !== null) {
      const elapsed = Date.now() - this.dropStartedAt;
      if (resuming) {
        this.resumeMs.push(elapsed);
        if (this.dropWasServer) {
          this.serverDropResumeMs.push(elapsed);
        }
      }
      this.dropStartedAt = null;
      this.dropWasServer = false;
    }
    for (const waiter of this.joinWaiters.splice(0)) {
      waiter.resolve();
    }
  }

  /** A server `op` (live, or an entry of a resume's `ops`). */
  #onServerOp(frame) {
    if (this.acknowledgedIds.has(frame.id)) {
      // Allowed by the protocol; if it really was applied twice, the revisions stop adding
      // up on the next op and the final comparison differs.
      this.stats.duplicatesIgnored++;
      return;
    }
    if (frame.revision !== this.revision + 1) {
      this.#fail(`op at revision ${frame.revision}, expected ${this.revision + 1}: ${JSON.stringify(frame).slice(0, 300)}`);
      return;
    }
    if (frame.id !== undefined && frame.id === this.outstandingId && !this.synchronized) {
      // This client's own operation, sent on an earlier connection.
      this.stats.acksAsOwnOp++;
      this.#acknowledge(frame.id);
      return;
    }
    if (frame.clientId !== undefined && frame.clientId === this.serverClientId) {
      this.#violation(`own operation echoed as op on the same connection: ${JSON.stringify(frame).slice(0, 300)}`);
    }
    let operation;
    try {
      operation = TextOperation.fromJSON(frame.op);
      if (operation.baseLength !== this.#serverLength()) {
        throw new Error(`base length ${operation.baseLength}, the document at revision ${this.revision} is ${this.#serverLength()} long`);
      }
    } catch (error) {
      this.#fail(`op at revision ${frame.revision} does not apply: ${error.message}`);
      return;
    }
    this.stats.remoteOps++;
    this.applyServer(operation);
  }

  /**
   * The length of the document at the client's revision, as the server has it: ot.js keeps
   * the outstanding operation based on exactly that document.
   */
  #serverLength() {
    return this.synchronized ? this.text.length : this.state.outstanding.baseLength;
  }

  #onAck(frame) {
    if (this.acknowledgedIds.has(frame.id)) {
      this.stats.duplicatesIgnored++;
      return;
    }
    if (this.synchronized || frame.id !== this.outstandingId) {
      this.#fail(`ack for ${frame.id}, which is not outstanding (outstanding: ${this.synchronized ? 'none' : this.outstandingId})`);
      return;
    }
    if (frame.revision !== this.revision + 1) {
      this.#fail(`ack of ${frame.id} at revision ${frame.revision}, expected ${this.revision + 1}`);
      return;
    }
    this.#acknowledge(frame.id);
  }

  #acknowledge(id) {
    this.acknowledgedIds.add(id);
    this.stats.acked++;
    const markers = this.markersById.get(id);
    this.markersById.delete(id);
    if (markers) {
      this.acknowledgedInserts.push(...markers.inserted);
      this.acknowledgedDeletes.push(...markers.deleted);
    }
    this.outstandingId = null;
    // May send the buffer at once (AwaitingWithBuffer), which sets the next outstanding id.
    this.serverAck();
  }

  #onError(frame) {
    this.errors.push(frame);
    if (frame.code === 'unknown_revision') {
      this.stats.unknownRevisions++;
      this.#dropLocalState();
      const socket = this.socket;
      this.#forgetSocket();
      socket?.terminate();
      this.#openWithRetries(Date.now());
      return;
    }
    if (frame.code === 'rate_limited' && frame.id !== undefined && frame.id === this.outstandingId) {
      // Refused, document unchanged: the same operation goes again a little later.
      this.stats.rateLimited++;
      setTimeout(() => {
        if (this.phase === 'live' && frame.id === this.outstandingId) {
          this.resending = true;
          try {
            this.serverReconnect();
          } finally {
            this.resending = false;
          }
        }
      }, 250);
      return;
    }
    this.#fail(`error ${frame.code}: ${frame.message}${frame.id ? ` (op ${frame.id})` : ''}`);
  }

  /** Forgets everything not acknowledged; its deletes may or may not have been applied. */
  #dropLocalState() {
    if (this.outstandingId !== null && !this.synchronized) {
      this.stats.droppedOps++;
    }
    for (const markers of this.markersById.values()) {
      this.uncertainDeletes.push(...markers.deleted);
    }
    this.markersById.clear();
    this.unsentMarkers = { inserted: [], deleted: [] };
    this.outstandingId = null;
    this.hasDocument = false;
    this.text = '';
    Client.call(this, 0);
  }

  #violation(message) {
    this.violations.push(message);
  }

  #fail(message) {
    if (!this.fatal) {
      this.fatal = message;
    }
    this.violations.push(message);
    this.#rejectJoinWaiters(new Error(`${this.name}: ${message}`));
  }

  #rejectJoinWaiters(error) {
    for (const waiter of this.joinWaiters.splice(0)) {
      waiter.reject(error);
    }
  }
}
