// The one collaborative-editing WebSocket of a workspace: every open document is multiplexed
// on it by `path`. It reconnects with backoff and jitter and resumes each document (join with
// its revision); it paces what it sends under the server's message rate; and it routes the
// server's frames to the documents. Error frames carry no path: an op's error carries the op's
// id, and a join's error is the answer to the one join in flight (joins go one at a time).
import type { DocumentEvents, LinkState, SharedDocuments, SharedDocumentsOptions } from '../shared-text/documents';
import { CollabDocument } from './document';
import { CloseCodes, type ClientFrame, type ServerFrame } from './protocol';
import type { SocketLike } from '../../api/socket-like';

export interface ConnectionOptions extends SharedDocumentsOptions {
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  newId?: () => string;
  /** Under the server's 50 a second (bursts of 100), so nothing is dropped for the rate. */
  messagesPerSecond?: number;
  burst?: number;
  /** The server's message size limit (Collaboration:MaxMessageBytes). */
  maxMessageBytes?: number;
}

const OPEN = 1;
const FIRST_CONNECT_TIMEOUT_MS = 5000;
const RECONNECT_TIMEOUT_MS = [1500, 1500, 2000, 3000, 4000];
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 8000;
const RATE_LIMITED_PAUSE_MS = 1000;

export class CollabConnection implements SharedDocuments {
  private readonly documents = new Map<string, CollabDocument>();
  private socket: SocketLike | null = null;
  private state: LinkState = 'offline';
  private stoppedBecause = '';
  private attempt = 0;
  private everConnected = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private joinQueue: CollabDocument[] = [];
  private joinInFlight: CollabDocument | null = null;
  private outbox: ClientFrame[] = [];
  private tokens: number;
  private tokensAt = Date.now();
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  private pausedUntil = 0;
  private readonly rate: number;
  private readonly maxMessageBytes: number;
  private readonly burst: number;
  private readonly random: () => number;
  private readonly createSocket: (url: string) => SocketLike;

  constructor(private readonly options: ConnectionOptions) {
    this.rate = options.messagesPerSecond ?? 40;
    this.burst = options.burst ?? 60;
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.tokens = this.burst;
    this.random = options.random ?? Math.random;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  }

  get linkState(): LinkState {
    return this.state;
  }

  document(path: string): CollabDocument | undefined {
    return this.documents.get(path);
  }

  allDocuments(): CollabDocument[] {
    return [...this.documents.values()];
  }

  /** Connects ahead of the first document, so opening one does not wait for the upgrade. */
  start(): void {
    if (this.state === 'offline' && !this.everConnected && !this.reconnectTimer && !this.socket) this.connect();
  }

  /** Opens `path`'s document (joined as soon as the connection allows). */
  open(path: string, events: DocumentEvents): CollabDocument {
    const existing = this.documents.get(path);
    if (existing) return existing;
    const document = new CollabDocument(path, {
      send: (frame) => this.send(frame),
      rejoin: (doc) => this.enqueueJoin(doc),
    }, events, this.options.newId);
    this.documents.set(path, document);
    if (this.state === 'stopped') document.joinRefused('stopped', this.stoppedBecause);
    else if (this.isOpen()) this.enqueueJoin(document);
    else if (this.state === 'offline' && !this.reconnectTimer && !this.socket) this.connect();
    return document;
  }

  /** Leaves `path`'s document. */
  leave(path: string): void {
    const document = this.documents.get(path);
    if (!document) return;
    this.documents.delete(path);
    this.joinQueue = this.joinQueue.filter((d) => d !== document);
    document.close();
    this.send({ type: 'leave', path });
  }

  dispose(): void {
    this.stop('disposed');
    for (const document of this.documents.values()) document.close();
    this.documents.clear();
  }

  /** Drops the socket as a lost network would and reconnects (for tests and recovery). */
  reconnect(): void {
    const socket = this.socket;
    if (socket) {
      this.dropped(socket, 1006);
      socket.close();
    }
  }

  // ------------------------------------------------------------------ connecting

  private connect(): void {
    if (this.state === 'stopped') return;
    this.setState(this.everConnected ? 'offline' : 'connecting', 'connecting');
    const attempt = this.attempt++;
    this.options.socketUrl().then((url) => {
      if (this.state === 'stopped') return;
      const socket = this.createSocket(url);
      this.socket = socket;
      const timeout = this.everConnected ? RECONNECT_TIMEOUT_MS[Math.min(attempt, RECONNECT_TIMEOUT_MS.length - 1)]! : FIRST_CONNECT_TIMEOUT_MS;
      // An upgrade that hangs (an instance that died) must not hold the editor offline.
      this.connectTimer = setTimeout(() => {
        if (this.socket === socket && socket.readyState !== OPEN) {
          this.dropped(socket, 1006);
          try {
            socket.close();
          } catch {
            // already closing
          }
        }
      }, timeout);
      socket.onopen = () => {
        if (this.socket !== socket) return;
        clearTimeout(this.connectTimer!);
        this.everConnected = true;
        for (const document of this.documents.values()) this.enqueueJoin(document);
        this.updateOnline();
      };
      socket.onmessage = (event) => {
        if (this.socket !== socket) return;
        let frame: ServerFrame;
        try {
          frame = JSON.parse(String(event.data)) as ServerFrame;
        } catch {
          console.warn('collab: a frame that is not JSON');
          return;
        }
        this.onFrame(frame);
      };
      socket.onerror = () => {};
      socket.onclose = (event) => {
        if (this.socket === socket) this.dropped(socket, event.code);
      };
    }, (error: unknown) => {
      const status = (error as { status?: number })?.status;
      if (status === 401) {
        // socketUrl has ended the session already; the app signs out.
        this.stop('signed out');
        return;
      }
      this.scheduleReconnect();
    });
  }

  private dropped(socket: SocketLike, code: number): void {
    if (this.socket !== socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    this.socket = null;
    clearTimeout(this.connectTimer!);
    this.outbox = [];
    this.joinQueue = [];
    this.joinInFlight = null;
    for (const document of this.documents.values()) document.disconnected();
    if (code === CloseCodes.sessionEnded) {
      this.stop('Your session ended; sign in again');
      this.options.onSessionEnded?.();
    } else if (code === CloseCodes.accessRevoked) {
      this.stop('You no longer have access to this workspace');
    } else if (code === CloseCodes.workspaceGone) {
      this.stop('This workspace was deleted');
    } else {
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.state === 'stopped' || this.reconnectTimer) return;
    this.setState(this.everConnected ? 'offline' : 'connecting', 'reconnecting');
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.attempt, 10));
    // Jitter spreads the editors of a restarted instance over time.
    const delay = this.attempt === 0 ? 0 : ceiling * (0.5 + this.random() / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private stop(why: string): void {
    const socket = this.socket;
    this.socket = null;
    clearTimeout(this.reconnectTimer!);
    clearTimeout(this.connectTimer!);
    clearTimeout(this.drainTimer!);
    this.reconnectTimer = this.connectTimer = this.drainTimer = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState === OPEN) {
        for (const path of this.documents.keys()) socket.send(JSON.stringify({ type: 'leave', path }));
      }
      try {
        socket.close(1000);
      } catch {
        // already closing
      }
    }
    for (const document of this.documents.values()) document.disconnected();
    this.stoppedBecause = why;
    this.setState('stopped', why);
  }

  private isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  private setState(state: LinkState, why: string): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state, why);
  }

  /** Online once every document has been joined on the open socket. */
  private updateOnline(): void {
    if (this.isOpen() && !this.joinInFlight && this.joinQueue.length === 0) {
      this.attempt = 0;
      this.setState('online', 'joined');
    }
  }

  // ------------------------------------------------------------------ joins, one at a time

  private enqueueJoin(document: CollabDocument): void {
    if (!this.documents.has(document.path) || document.phase === 'closed') return;
    if (this.joinInFlight !== document && !this.joinQueue.includes(document)) this.joinQueue.push(document);
    document.joining();
    this.pumpJoins();
  }

  private pumpJoins(): void {
    if (this.joinInFlight || !this.isOpen()) return;
    const next = this.joinQueue.shift();
    if (!next) return;
    this.joinInFlight = next;
    this.send(next.joinFrame());
  }

  private joinAnswered(): void {
    this.joinInFlight = null;
    this.pumpJoins();
    this.updateOnline();
  }

  // ------------------------------------------------------------------ sending, paced

  private send(frame: ClientFrame): boolean {
    if (!this.isOpen()) return false;
    if (frame.type === 'op' && byteLength(frame) > this.maxMessageBytes) {
      // The server would drop it with an error that does not say which op it was: refuse it
      // here (after the state machine has finished its step).
      const document = this.documents.get(frame.path);
      setTimeout(() => {
        if (document && document.outstandingId === frame.id) document.onOpRefused('too_large');
      }, 0);
      return true;
    }
    if (frame.type === 'selection') {
      // Only the newest selection matters; it goes after whatever was queued before it.
      this.outbox = this.outbox.filter((f) => !(f.type === 'selection' && f.path === frame.path));
    }
    this.outbox.push(frame);
    this.drain();
    return true;
  }

  private drain(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.tokensAt) / 1000) * this.rate);
    this.tokensAt = now;
    while (this.outbox.length > 0 && this.tokens >= 1 && now >= this.pausedUntil) {
      this.tokens -= 1;
      socket.send(JSON.stringify(this.outbox.shift()));
    }
    if (this.outbox.length > 0 && !this.drainTimer) {
      const wait = Math.max(this.pausedUntil - now, ((1 - this.tokens) / this.rate) * 1000, 5);
      this.drainTimer = setTimeout(() => {
        this.drainTimer = null;
        this.drain();
      }, wait);
    }
  }

  // ------------------------------------------------------------------ receiving

  private onFrame(frame: ServerFrame): void {
    if (frame.type === 'error') {
      this.onError(frame);
      return;
    }
    const document = this.documents.get(frame.path);
    if (!document) return;
    switch (frame.type) {
      case 'joined':
        if (this.joinInFlight === document) this.joinInFlight = null;
        document.onJoined(frame);
        this.joinAnswered();
        break;
      case 'op':
        if (document.phase === 'live') document.onServerOp(frame);
        break;
      case 'ack':
        document.onAck(frame.id);
        break;
      case 'selection':
        document.onSelection(frame.clientId, frame.username, frame.selections);
        break;
      case 'peer-joined':
        document.onPeerJoined(frame.peer);
        break;
      case 'peer-left':
        document.onPeerLeft(frame.clientId);
        break;
      case 'closed':
        this.documents.delete(frame.path);
        this.joinQueue = this.joinQueue.filter((d) => d !== document);
        if (this.joinInFlight === document) this.joinAnswered();
        document.close();
        this.options.onDocumentClosed?.(frame.to === undefined ? { path: frame.path, reason: frame.reason } : { path: frame.path, reason: frame.reason, to: frame.to });
        break;
    }
  }

  private onError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    const owner = frame.id === undefined ? undefined : this.allDocuments().find((d) => d.outstandingId === frame.id);
    if (owner) {
      this.onOpError(owner, frame.code);
      return;
    }
    if (frame.code === 'rate_limited') {
      // Something was dropped, and an error without an id does not say what: pause, then send
      // again what may have been lost (a resent id is applied at most once).
      this.pausedUntil = Date.now() + RATE_LIMITED_PAUSE_MS;
      const joining = this.joinInFlight;
      setTimeout(() => {
        if (joining && this.joinInFlight === joining) this.send(joining.joinFrame());
        for (const document of this.documents.values()) document.resendOutstanding();
        this.drain();
      }, RATE_LIMITED_PAUSE_MS);
      return;
    }
    if (frame.id === undefined && this.joinInFlight) {
      const document = this.joinInFlight;
      this.joinInFlight = null;
      if (frame.code === 'unknown_revision') {
        document.needFreshJoin(frame.message);
      } else {
        this.documents.delete(document.path);
        document.joinRefused(frame.code, frame.message);
      }
      this.joinAnswered();
      return;
    }
    if (frame.code === 'unknown_revision') {
      // The server lost a document's state and let its editors go: resume them all.
      this.reconnect();
      return;
    }
    console.warn(`collab: error ${frame.code}: ${frame.message}`);
  }

  private onOpError(document: CollabDocument, code: string): void {
    switch (code) {
      case 'rate_limited':
        setTimeout(() => document.resendOutstanding(), RATE_LIMITED_PAUSE_MS);
        break;
      case 'unknown_revision':
        document.needFreshJoin('the server no longer has our revision');
        break;
      case 'not_found':
        // Not joined on this connection any more (the server let it go): resume it.
        this.enqueueJoin(document);
        break;
      default:
        document.onOpRefused(code);
    }
  }
}

function byteLength(frame: ClientFrame): number {
  const json = JSON.stringify(frame);
  // Cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 code unit.
  return json.length * 3 <= 1024 * 1024 ? json.length : new TextEncoder().encode(json).length;
}
