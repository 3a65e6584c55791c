// The seam between the editing core (./editor) and the collaboration client (./collab): what
// the editor needs of a shared document and of the connection that carries them, and what it
// tells a document back. The collaboration client implements these shapes; the editor codes
// against them only, so neither imports the other (editing-core.ts puts them together).
import type TextOperation from 'ot/lib/text-operation';

/** A selection in a document's text (UTF-16 code units). */
export interface TextSelection {
  anchor: number;
  head: number;
}

/** Someone else in the same document. */
export interface DocumentPeer {
  clientId: string;
  username: string;
  color: string;
  /** Their selections in this client's current text. */
  local: TextSelection[];
}

/** How the connection to the collaboration service stands. */
export type LinkState = 'connecting' | 'online' | 'offline' | 'stopped';

export type DocumentPhase = 'offline' | 'joining' | 'live' | 'closed';

/** What the editor hears from a document. */
export interface DocumentEvents {
  /** The whole text was replaced (a fresh join). */
  reset(text: string): void;
  /** A remote operation, transformed to apply to the text as it was just before. */
  remoteOperation(operation: TextOperation, before: string): void;
  /** Peers or their selections changed. */
  peersChanged(): void;
  /** Joined, acknowledged, or the read-only flag changed. */
  stateChanged(): void;
  /** Something the person editing should know. */
  notice(message: string): void;
}

/** One shared document as the editor uses it. */
export interface SharedDocument {
  /** The server's text plus this client's pending edits. */
  readonly text: string;
  readonly readOnly: boolean;
  readonly phase: DocumentPhase;
  readonly peers: ReadonlyMap<string, DocumentPeer>;
  /** Resolves once joined; rejects when the join is refused. */
  readonly ready: Promise<void>;
  /** Every local edit is acknowledged by the server. */
  readonly settled: boolean;
  edit(operation: TextOperation): void;
  select(selections: TextSelection[]): void;
}

/** The server closed a document (deleted or moved). */
export interface ClosedDocument {
  path: string;
  reason: string;
  to?: string;
}

/** The workspace's documents, multiplexed on one connection. */
export interface SharedDocuments {
  readonly linkState: LinkState;
  start(): void;
  open(path: string, events: DocumentEvents): SharedDocument;
  leave(path: string): void;
  dispose(): void;
}

export interface SharedDocumentsOptions {
  /** The ws(s):// URL with a fresh access token; rejects when the session is gone. */
  socketUrl: () => Promise<string>;
  onState?: (state: LinkState, why: string) => void;
  /** The server ended the session. */
  onSessionEnded?: () => void;
  onDocumentClosed?: (closed: ClosedDocument) => void;
}

export type ConnectSharedDocuments = (options: SharedDocumentsOptions) => SharedDocuments;
