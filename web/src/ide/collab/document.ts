// One collaborative document: ot.js's own Client state machine (Synchronized, AwaitingConfirm,
// AwaitingWithBuffer) plus the protocol rules ot.js leaves to its user, as the collaboration
// service defines them and web/e2e/collab/collab-client.mjs proved over randomized sessions:
// - an operation carries a random id; after a reconnect the outstanding one is resent with
//   the same id (the server applies an id at most once and acks a duplicate again);
// - a resume joins with `revision`; the answer's `ops` may hold this client's own operation,
//   sent on the previous connection: found by id, it is the ack;
// - an ack or op whose id was already taken as acknowledged is ignored;
// - `unknown_revision` means: join afresh; what was not acknowledged is rebased onto the
//   fresh content as best effort.
// No socket and no editor here: the connection feeds frames in, the editor binding listens.
import Client from 'ot/lib/client';
import Selection from 'ot/lib/selection';
import TextOperation from 'ot/lib/text-operation';
import type { DocumentEvents, DocumentPhase, SharedDocument } from '../shared-text/documents';
import { diffOperation } from '../shared-text/text-diff';
import type { ClientFrame, JoinedFrame, LoggedOp, Peer, SelectionRange } from './protocol';

/** What a document needs from the connection it is multiplexed on. */
export interface DocumentTransport {
  /** Sends a frame now or queues it; false when there is no live connection. */
  send(frame: ClientFrame): boolean;
  /** The document must be joined (again, afresh). */
  rejoin(document: CollabDocument): void;
}

export interface RemotePeer extends Peer {
  /** Selections in this client's current text. */
  local: SelectionRange[];
}

export class CollabDocument extends Client implements SharedDocument {
  /** What the editor holds: the server's text at `revision` plus the pending edits. */
  text = '';
  /** The server's text at `revision` (no pending edits): the base of a best-effort rebase. */
  serverText = '';
  hasDocument = false;
  readOnly = false;
  phase: DocumentPhase = 'offline';
  clientId: string | null = null;
  outstandingId: string | null = null;
  readonly peers = new Map<string, RemotePeer>();
  private readonly acknowledgedIds = new Set<string>();
  private resending = false;
  /** Pending edits to rebase onto the content of the next fresh join. */
  private carried: { base: string; pending: TextOperation } | null = null;
  private localSelections: SelectionRange[] | null = null;
  private joinedBefore = false;
  private firstJoin!: { resolve: () => void; reject: (error: Error) => void };
  /** Settles with the first join: resolved with the content, rejected when refused. */
  readonly ready = new Promise<void>((resolve, reject) => {
    this.firstJoin = { resolve, reject };
  });

  constructor(
    readonly path: string,
    private readonly transport: DocumentTransport,
    private readonly events: DocumentEvents,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    super(0);
    // Nobody may be waiting when a document is closed before it was ever joined.
    this.ready.catch(() => {});
  }

  get synchronized(): boolean {
    return this.state instanceof Client.Synchronized;
  }

  /** Live, and nothing of this client's waits for the server. */
  get settled(): boolean {
    return this.phase === 'live' && this.synchronized;
  }

  /** The edits not yet acknowledged (outstanding then buffered), over `serverText`. */
  private pending(): TextOperation | null {
    const state = this.state as { outstanding?: TextOperation; buffer?: TextOperation };
    if (!state.outstanding) return null;
    return state.buffer ? state.outstanding.compose(state.buffer) : state.outstanding;
  }

  joinFrame(): ClientFrame {
    return this.hasDocument ? { type: 'join', path: this.path, revision: this.revision } : { type: 'join', path: this.path };
  }

  // ------------------------------------------------------------------ ot.js hooks

  override sendOperation(revision: number, operation: TextOperation): void {
    if (!this.resending) this.outstandingId = this.newId();
    // Offline, the resend after the next join sends it.
    if (this.phase === 'live' && this.outstandingId) {
      this.transport.send({ type: 'op', path: this.path, revision, id: this.outstandingId, op: operation.toJSON() });
    }
  }

  override applyOperation(operation: TextOperation): void {
    const before = this.text;
    this.text = operation.apply(before);
    this.transformPeers(operation);
    this.events.remoteOperation(operation, before);
  }

  // ------------------------------------------------------------------ the editor's side

  /** A local edit, already in the editor. */
  edit(operation: TextOperation): void {
    if (operation.isNoop() || this.phase === 'closed') return;
    if (!this.hasDocument) {
      // Between losing the document and joining it afresh: kept for the rebase.
      if (!this.joinedBefore) return;
      this.carried = this.carried
        ? { base: this.carried.base, pending: this.carried.pending.compose(operation) }
        : { base: this.text, pending: operation };
      this.text = operation.apply(this.text);
      return;
    }
    this.text = operation.apply(this.text);
    this.transformPeers(operation);
    this.applyClient(operation);
    this.events.stateChanged();
  }

  /** The local cursor and selections; sent once the server can place them. */
  select(selections: SelectionRange[]): void {
    this.localSelections = selections;
    this.sendSelectionIfPlaceable();
  }

  // ------------------------------------------------------------------ the connection's side

  disconnected(): void {
    if (this.phase !== 'closed') this.phase = 'offline';
    this.peers.clear();
    this.events.peersChanged();
    this.events.stateChanged();
  }

  joining(): void {
    this.phase = 'joining';
  }

  onJoined(frame: JoinedFrame): void {
    this.clientId = frame.clientId;
    const readOnlyChanged = this.readOnly !== frame.readOnly;
    this.readOnly = frame.readOnly;
    if (!this.hasDocument || frame.ops === undefined) {
      this.freshJoined(frame);
    } else {
      for (const entry of frame.ops) {
        this.onServerOp(entry);
        // Lost track within the resume: a fresh join is already asked for.
        if (!this.hasDocument) return;
      }
    }
    this.peers.clear();
    for (const peer of frame.peers) this.addPeer(peer);
    this.phase = 'live';
    this.resending = true;
    try {
      this.serverReconnect();
    } finally {
      this.resending = false;
    }
    if (this.carried) this.rebaseCarried();
    this.sendSelectionIfPlaceable();
    const notify = readOnlyChanged && this.joinedBefore;
    this.joinedBefore = true;
    this.firstJoin.resolve();
    if (notify) this.events.notice(frame.readOnly ? `${this.path} is read-only for you` : `You can edit ${this.path} again`);
    this.events.peersChanged();
    this.events.stateChanged();
  }

  private freshJoined(frame: JoinedFrame): void {
    const content = frame.content ?? '';
    // Back to ot.js's initial state (Synchronized) at the server's revision.
    Client.call(this, frame.revision);
    this.outstandingId = null;
    this.serverText = content;
    this.hasDocument = true;
    this.text = content;
    this.events.reset(content);
  }

  /** A server op: live, or an entry of a resume's `ops`. */
  onServerOp(entry: LoggedOp): void {
    if (this.acknowledgedIds.has(entry.id)) return;
    if (entry.revision !== this.revision + 1) {
      // Lost track (should not happen): start over from the server's text.
      this.needFreshJoin(`op at revision ${entry.revision}, expected ${this.revision + 1}`);
      return;
    }
    if (entry.id === this.outstandingId && !this.synchronized) {
      // This client's own operation, sent on an earlier connection.
      this.acknowledge(entry.id);
      return;
    }
    const operation = TextOperation.fromJSON(entry.op);
    this.serverText = operation.apply(this.serverText);
    this.applyServer(operation);
    this.events.stateChanged();
  }

  onAck(id: string): void {
    if (this.acknowledgedIds.has(id) || this.synchronized || id !== this.outstandingId) return;
    this.acknowledge(id);
  }

  private acknowledge(id: string): void {
    const acked = (this.state as { outstanding?: TextOperation }).outstanding;
    if (acked) this.serverText = acked.apply(this.serverText);
    this.acknowledgedIds.add(id);
    this.outstandingId = null;
    // May send the buffer at once (AwaitingWithBuffer), which takes a new id.
    this.serverAck();
    this.sendSelectionIfPlaceable();
    this.events.stateChanged();
  }

  /**
   * The server no longer has our revision (or we lost track): the next join is fresh, and
   * what was not acknowledged is carried over to be rebased onto its content.
   */
  needFreshJoin(why: string): void {
    const pending = this.pending();
    if (pending && !this.carried) this.carried = { base: this.serverText, pending };
    this.outstandingId = null;
    this.hasDocument = false;
    Client.call(this, 0);
    console.warn(`collab: ${this.path}: joining afresh (${why})`);
    if (this.phase === 'live' || this.phase === 'joining') this.transport.rejoin(this);
  }

  private rebaseCarried(): void {
    const { base, pending } = this.carried!;
    this.carried = null;
    if (this.readOnly) {
      this.events.notice(`Edits to ${this.path} made while disconnected could not be kept (read-only)`);
      return;
    }
    try {
      const theirs = diffOperation(base, this.serverText);
      const [mine] = TextOperation.transform(pending, theirs);
      const before = this.text;
      this.text = mine.apply(before);
      this.events.remoteOperation(mine, before);
      this.applyClient(mine);
      this.events.notice(`Reconnected to ${this.path} after a long break: your unsent edits were re-applied; please check them`);
    } catch {
      this.events.notice(`Reconnected to ${this.path} after a long break: your unsent edits could not be re-applied`);
    }
  }

  /** The server refused an op with `id` (forbidden, too_large, invalid_op): start over. */
  onOpRefused(code: string): void {
    this.carried = null;
    this.outstandingId = null;
    this.hasDocument = false;
    Client.call(this, 0);
    if (this.phase === 'live') this.transport.rejoin(this);
    this.events.notice(code === 'forbidden'
      ? `You can only view ${this.path}; your edit was not saved`
      : code === 'too_large'
        ? `That edit to ${this.path} was too large and was not saved`
        : `An edit to ${this.path} was refused (${code}) and undone`);
  }

  /** Resends the outstanding op with its id (after a rate_limited refusal). */
  resendOutstanding(): void {
    if (this.phase !== 'live') return;
    this.resending = true;
    try {
      this.serverReconnect();
    } finally {
      this.resending = false;
    }
  }

  /** The server refused to join it (no such file, no access). */
  joinRefused(code: string, message: string): void {
    this.firstJoin.reject(new Error(`${this.path}: ${code}: ${message}`));
    this.close();
  }

  close(): void {
    this.phase = 'closed';
    this.peers.clear();
    this.firstJoin.reject(new Error(`${this.path} was closed`));
  }

  // ------------------------------------------------------------------ presence

  addPeer(peer: Peer): void {
    if (peer.clientId === this.clientId) return;
    this.peers.set(peer.clientId, { ...peer, local: this.toLocal(peer.selections ?? []) });
  }

  onPeerJoined(peer: Peer): void {
    this.addPeer(peer);
    this.events.peersChanged();
  }

  onPeerLeft(clientId: string): void {
    if (this.peers.delete(clientId)) this.events.peersChanged();
  }

  onSelection(clientId: string, username: string, selections: SelectionRange[]): void {
    if (clientId === this.clientId) return;
    const peer = this.peers.get(clientId);
    if (peer) {
      peer.selections = selections;
      peer.local = this.toLocal(selections);
    } else {
      this.peers.set(clientId, { clientId, userId: '', username, color: '#888888', selections, local: this.toLocal(selections) });
    }
    this.events.peersChanged();
  }

  /** A selection in the server's text at `revision` → in this client's text. */
  private toLocal(selections: SelectionRange[]): SelectionRange[] {
    const selection = new Selection(selections.map((s) => new Selection.Range(s.anchor, s.head)));
    return this.transformSelection(selection).ranges.map((r) => ({ anchor: r.anchor, head: r.head }));
  }

  private transformPeers(operation: TextOperation): void {
    for (const peer of this.peers.values()) {
      peer.local = peer.local.map((s) => {
        const r = new Selection.Range(s.anchor, s.head).transform(operation);
        return { anchor: r.anchor, head: r.head };
      });
    }
  }

  /**
   * The server relays a selection in order with the sender's ops, so one sent now must refer
   * to text the server has: not while edits are buffered (unsent).
   */
  private sendSelectionIfPlaceable(): void {
    if (!this.localSelections || this.phase !== 'live') return;
    if (this.state instanceof Client.AwaitingWithBuffer) return;
    this.transport.send({ type: 'selection', path: this.path, selections: this.localSelections });
    this.localSelections = null;
  }
}
