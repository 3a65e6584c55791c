// One language server of a workspace: the socket /ws/lsp/{workspaceId}/{language} (docs/api.md §6),
// the LSP handshake on it, and the open documents kept in step with the server. Knows nothing of
// Monaco: a document is a URI, a language id, a version and its text; changes come in as LSP
// content changes.
//
// The socket comes back by itself: after a drop it reconnects with backoff and jitter and does the
// handshake and every didOpen again, with the text as it is then. It stays down for the closes
// that say trying again cannot help (4001, 4003, 4004, 4008). A 1000 close (the server closes a
// socket its client has been quiet on) reconnects only when there is something to send again.
import type { SocketLike } from '../../../api/socket-like';
import { JsonRpcChannel, type CancellationLike } from './json-rpc';
import {
  TextDocumentSyncKind,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type ServerCapabilities,
  type TextDocumentContentChangeEvent,
} from './protocol';
import { WORKSPACE_ROOT_URI } from './uris';

/** How the socket's server closes it when it will not serve this client (docs/api.md §6). */
export const LspCloseCodes = {
  badToken: 4001,
  noRole: 4003,
  noServer: 4004,
  tooManyServers: 4008,
} as const;

const STOPPING_CLOSES: Record<number, string> = {
  [LspCloseCodes.badToken]: 'your session ended',
  [LspCloseCodes.noRole]: 'you have no role in this workspace',
  [LspCloseCodes.noServer]: 'there is no language server for this language here',
  [LspCloseCodes.tooManyServers]: 'you have too many language servers open; close files of other languages',
};

/**
 * - `idle`: no socket, none needed yet (nothing opened, or the server closed a quiet socket);
 * - `connecting`: the socket or the handshake is on its way;
 * - `ready`: initialized, the documents are open on the server;
 * - `waiting`: dropped, reconnecting after a pause;
 * - `stopped`: for good (a refusing close, or disposed).
 */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';

export interface SyncedDocument {
  readonly uri: string;
  /** LSP's language identifier (`python`, `shellscript`, …). */
  readonly languageId: string;
  version(): number;
  text(): string;
}

export interface LanguageServerConnectionOptions {
  /** The socket's address with a current token (ApiClient.socketUrl). */
  socketUrl(): Promise<string>;
  createSocket?(url: string): SocketLike;
  random?(): number;
  now?(): number;
  maxMessageBytes?: number;
  onStateChange?(state: ConnectionState, detail: string): void;
  onDiagnostics?(params: PublishDiagnosticsParams): void;
  /** A document too big for one message: the server does not have it (any more). */
  onDocumentDropped?(uri: string): void;
  /** 4001 or a refused token: the app's session is over (it signs out). */
  onSessionEnded?(): void;
}

/** What this client handles, told to the server in `initialize`. */
export const CLIENT_CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: false, willSaveWaitUntil: false, didSave: false },
    completion: {
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: false,
        documentationFormat: ['markdown', 'plaintext'],
        deprecatedSupport: true,
        preselectSupport: true,
        tagSupport: { valueSet: [1] },
        insertReplaceSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        insertTextModeSupport: { valueSet: [1, 2] },
        labelDetailsSupport: true,
      },
      completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
      completionList: { itemDefaults: ['editRange', 'insertTextFormat', 'insertTextMode'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      contextSupport: true,
      signatureInformation: {
        documentationFormat: ['markdown', 'plaintext'],
        parameterInformation: { labelOffsetSupport: true },
        activeParameterSupport: true,
      },
    },
    definition: { linkSupport: true },
    publishDiagnostics: { relatedInformation: false, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: false },
  },
  workspace: { workspaceFolders: true },
};

const OPEN = 1;
const CONNECT_TIMEOUT_MS = 10_000;
/** A server's container may take a while to start and to read the project. */
const INITIALIZE_TIMEOUT_MS = 60_000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** A connection ready this long was not a failed attempt: the backoff starts over after it drops. */
const STABLE_MS = 30_000;

interface Entry {
  document: SyncedDocument;
  /** The server has it (didOpen sent on this socket). */
  opened: boolean;
  /** Too big for a message: not synchronised. */
  dropped: boolean;
}

export class LanguageServerConnection {
  private readonly documents = new Map<string, Entry>();
  private socket: SocketLike | null = null;
  private channel: JsonRpcChannel | null = null;
  private current: ConnectionState = 'idle';
  private attempt = 0;
  private readyAt = 0;
  private capabilities: ServerCapabilities = {};
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: LanguageServerConnectionOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The server's capabilities (from its `initialize` answer); empty until the first one. */
  get serverCapabilities(): ServerCapabilities {
    return this.capabilities;
  }

  get documentCount(): number {
    return this.documents.size;
  }

  /** The server has `uri` open with the editor's text: its answers and diagnostics hold for it. */
  serves(uri: string): boolean {
    const entry = this.documents.get(uri);
    return this.current === 'ready' && entry !== undefined && !entry.dropped;
  }

  openDocument(document: SyncedDocument): void {
    if (this.current === 'stopped' || this.documents.has(document.uri)) return;
    const entry: Entry = { document, opened: false, dropped: false };
    this.documents.set(document.uri, entry);
    if (this.current === 'ready') this.sendDidOpen(entry);
    else this.wake();
  }

  /**
   * The document changed to `version` (every change, the person's and the ones from other people
   * alike). `changes` apply one after the other, each to the text the one before left.
   */
  changeDocument(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    // Not on the server now: the didOpen after the next handshake carries the text as it is then.
    if (this.current !== 'ready' || !entry.opened) {
      this.wake();
      return;
    }
    const kind = this.syncKind();
    if (kind === TextDocumentSyncKind.None) return;
    const contentChanges = kind === TextDocumentSyncKind.Full ? [{ text: entry.document.text() }] : changes;
    if (!this.channel!.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges })) this.drop(entry);
  }

  closeDocument(uri: string): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    this.documents.delete(uri);
    if (entry.opened && this.current === 'ready') this.channel!.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * A request's result, or null when the server cannot answer now (not connected; the attempt to
   * connect starts). Rejects with the server's error, or RequestDropped when cancelled or lost.
   */
  request<T>(method: string, params: unknown, token?: CancellationLike): Promise<T | null> {
    if (this.current !== 'ready' || !this.channel) {
      this.wake();
      return Promise.resolve(null);
    }
    return this.channel.request<T>(method, params, token);
  }

  dispose(): void {
    if (this.current === 'stopped') return;
    this.documents.clear();
    this.stop('disposed');
  }

  // ------------------------------------------------------------------ the socket

  /** Connects when there is a reason to and nothing is on its way. */
  private wake(): void {
    if (this.current === 'idle' && this.documents.size > 0) this.connect();
  }

  private connect(): void {
    this.setState('connecting', this.attempt === 0 ? 'connecting' : 'reconnecting');
    this.attempt++;
    this.options.socketUrl().then((url) => {
      if (this.current !== 'connecting' || this.socket) return;
      const socket = this.createSocket(url);
      const channel = new JsonRpcChannel(socket, {
        onNotification: (method, params) => this.onNotification(method, params),
        ...(this.options.maxMessageBytes === undefined ? {} : { maxMessageBytes: this.options.maxMessageBytes }),
      });
      this.socket = socket;
      this.channel = channel;
      // An upgrade that hangs (an instance that died) must not keep the editor waiting.
      this.handshakeTimer = setTimeout(() => this.abandon(socket, 'the socket did not open'), CONNECT_TIMEOUT_MS);
      socket.onopen = () => {
        if (this.socket === socket) void this.initialize(socket, channel);
      };
      socket.onmessage = (event) => {
        if (this.socket === socket) channel.receive(event.data);
      };
      socket.onerror = () => {};
      socket.onclose = (event) => {
        if (this.socket === socket) this.closed(event.code, event.reason ?? '');
      };
    }, (error: unknown) => {
      if (this.current !== 'connecting') return;
      if ((error as { status?: number } | null)?.status === 401) {
        // socketUrl has ended the session already.
        this.stop('your session ended');
        this.options.onSessionEnded?.();
        return;
      }
      this.scheduleReconnect('no address for the socket');
    });
  }

  private async initialize(socket: SocketLike, channel: JsonRpcChannel): Promise<void> {
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = setTimeout(() => this.abandon(socket, 'the language server did not answer initialize'), INITIALIZE_TIMEOUT_MS);
    let result: InitializeResult | null;
    try {
      result = await channel.request<InitializeResult>('initialize', initializeParams());
    } catch (error) {
      if (this.socket !== socket) return;
      console.warn('lsp: initialize failed:', error instanceof Error ? error.message : error);
      this.abandon(socket, 'initialize failed');
      return;
    }
    if (this.socket !== socket) return;
    clearTimeout(this.handshakeTimer);
    this.capabilities = result?.capabilities ?? {};
    channel.notify('initialized', {});
    this.readyAt = this.now();
    for (const entry of this.documents.values()) this.sendDidOpen(entry);
    this.setState('ready', result?.serverInfo?.name ?? 'ready');
  }

  /** Gives up on a socket that is not working and tries again later. */
  private abandon(socket: SocketLike, why: string): void {
    if (this.socket !== socket) return;
    this.detach();
    try {
      socket.close(1000);
    } catch {
      // already closing
    }
    this.scheduleReconnect(why);
  }

  private closed(code: number, reason: string): void {
    const wasReady = this.current === 'ready';
    const stableBefore = this.readyAt > 0 && this.now() - this.readyAt >= STABLE_MS;
    this.detach();
    const stopping = STOPPING_CLOSES[code];
    if (stopping) {
      this.stop(stopping);
      if (code === LspCloseCodes.badToken) this.options.onSessionEnded?.();
      return;
    }
    if (stableBefore || code === 1001) this.attempt = 0; // 1001: the session's time was up; a new one is welcome
    if ((code === 1000 && wasReady) || this.documents.size === 0) {
      // Closed because this client was quiet: connect again when there is something to say.
      this.setState('idle', reason || 'closed');
      return;
    }
    this.scheduleReconnect(reason || `closed (${code})`);
  }

  /** Forgets the socket: what it carried (open documents, waiting requests) is gone with it. */
  private detach(): void {
    const socket = this.socket;
    const channel = this.channel;
    this.socket = null;
    this.channel = null;
    this.readyAt = 0;
    clearTimeout(this.handshakeTimer);
    if (socket) socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    channel?.dispose('the connection closed');
    for (const entry of this.documents.values()) entry.opened = false;
  }

  private scheduleReconnect(why: string): void {
    if (this.current === 'stopped') return;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(this.attempt - 1, 0), 10));
    // Jitter spreads the editors of a restarted instance over time.
    const delay = this.attempt === 0 ? 0 : ceiling * (0.5 + this.random() / 2);
    this.setState('waiting', why);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.current !== 'waiting') return;
      if (this.documents.size === 0) this.setState('idle', why);
      else this.connect();
    }, delay);
  }

  private stop(why: string): void {
    const socket = this.socket;
    clearTimeout(this.reconnectTimer);
    this.detach();
    if (socket && socket.readyState === OPEN) {
      try {
        socket.close(1000);
      } catch {
        // already closing
      }
    }
    this.setState('stopped', why);
  }

  private setState(state: ConnectionState, detail: string): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange?.(state, detail);
  }

  // ------------------------------------------------------------------ documents

  private syncKind(): number {
    const sync = this.capabilities.textDocumentSync;
    return typeof sync === 'number' ? sync : sync?.change ?? TextDocumentSyncKind.None;
  }

  private sendsOpenClose(): boolean {
    const sync = this.capabilities.textDocumentSync;
    return typeof sync === 'number' ? sync !== TextDocumentSyncKind.None : sync?.openClose === true;
  }

  private sendDidOpen(entry: Entry): void {
    if (entry.dropped || !this.sendsOpenClose()) return;
    const { uri, languageId } = entry.document;
    const sent = this.channel!.notify('textDocument/didOpen', {
      textDocument: { uri, languageId, version: entry.document.version(), text: entry.document.text() },
    });
    if (sent) entry.opened = true;
    else this.drop(entry);
  }

  /** A document too big to send: the server closes it (it would hold a stale copy otherwise). */
  private drop(entry: Entry): void {
    if (entry.opened) this.channel?.notify('textDocument/didClose', { textDocument: { uri: entry.document.uri } });
    entry.opened = false;
    entry.dropped = true;
    console.warn(`lsp: ${entry.document.uri} is too big for the language server's messages; it is not checked`);
    this.options.onDocumentDropped?.(entry.document.uri);
  }

  private onNotification(method: string, params: unknown): void {
    if (method === 'textDocument/publishDiagnostics') {
      const diagnostics = params as PublishDiagnosticsParams | null;
      if (diagnostics && typeof diagnostics.uri === 'string' && Array.isArray(diagnostics.diagnostics)) this.options.onDiagnostics?.(diagnostics);
    } else if (method === 'window/showMessage') {
      const message = params as { type?: number; message?: string } | null;
      if (message?.type === 1) console.warn(`lsp: ${message.message ?? ''}`);
    }
    // Anything else (logMessage, progress, telemetry the relay let through) is not for the editor.
  }
}

function initializeParams(): object {
  return {
    processId: null,
    clientInfo: { name: 'WebIde' },
    ...(typeof navigator !== 'undefined' && navigator.language ? { locale: navigator.language } : {}),
    rootPath: '/workspace',
    rootUri: WORKSPACE_ROOT_URI,
    workspaceFolders: [{ uri: WORKSPACE_ROOT_URI, name: 'workspace' }],
    capabilities: CLIENT_CAPABILITIES,
  };
}
