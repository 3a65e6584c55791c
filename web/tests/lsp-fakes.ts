// Fakes for the language client's tests: a WebSocket the test plays the relay of, Monaco's API as
// far as the client uses it (registrations, markers, the editor opener, enums with Monaco's values),
// text models that report changes as Monaco does, and an editor.
import type { SocketLike } from '../src/api/socket-like';

/** A /ws/lsp socket: the test is the relay (and the server behind it). */
export class FakeLspSocket implements SocketLike {
  static created: FakeLspSocket[] = [];
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  /** Every frame sent, parsed (one JSON-RPC message each). */
  readonly sent: any[] = [];
  readonly frames: string[] = [];
  closedWith: number | undefined;

  constructor(readonly url: string) {
    FakeLspSocket.created.push(this);
  }

  static latest(): FakeLspSocket {
    const socket = FakeLspSocket.created[FakeLspSocket.created.length - 1];
    if (!socket) throw new Error('no socket was created');
    return socket;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.frames.push(data);
    this.sent.push(JSON.parse(data));
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The last request of `method` sent. */
  request(method: string): any {
    const found = [...this.sent].reverse().find((m) => m.method === method && m.id !== undefined);
    if (!found) throw new Error(`no ${method} request among ${JSON.stringify(this.methods())}`);
    return found;
  }

  /** Answers the last request of `method`. */
  answer(method: string, result: unknown): void {
    this.receive({ jsonrpc: '2.0', id: this.request(method).id, result });
  }

  /** Opens the socket and answers initialize with `capabilities`. */
  handshake(capabilities: object): void {
    this.open();
    this.answer('initialize', { capabilities, serverInfo: { name: 'fake' } });
  }

  methods(): string[] {
    return this.sent.map((m) => m.method ?? `answer ${m.id}`);
  }

  /** Messages sent of `method`, and forgets every message sent so far. */
  take(method?: string): any[] {
    const taken = method ? this.sent.filter((m) => m.method === method) : [...this.sent];
    this.sent.length = 0;
    return taken;
  }
}

export class FakeUri {
  constructor(readonly scheme: string, readonly authority: string, readonly path: string) {}
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

interface Listener<E> {
  (event: E): void;
}

export const WORKSPACE = 'ws1';

/** A text model that reports its changes as Monaco does (ranges in the text before the event, 1-based). */
export class FakeModel {
  readonly uri: FakeUri;
  private versionId = 1;
  private disposed = false;
  private readonly listeners = new Set<Listener<any>>();

  constructor(readonly path: string, private text: string, private readonly languageId = 'python') {
    this.uri = new FakeUri('webide', WORKSPACE, `/${path}`);
  }

  getValue(): string {
    return this.text;
  }

  getVersionId(): number {
    return this.versionId;
  }

  getLanguageId(): string {
    return this.languageId;
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
  }

  onDidChangeContent(listener: Listener<any>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  offsetAt(lineNumber: number, column: number): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < lineNumber - 1; i++) offset += lines[i]!.length + 1;
    return offset + column - 1;
  }

  /**
   * Replaces ranges (1-based, in the text before the call) as one event, listed from the last in the
   * text to the first as Monaco lists them: what a typed key, an undo or a peer's operation does.
   */
  edit(...edits: Array<[number, number, number, number, string]>): void {
    const changes = edits
      .map(([sl, sc, el, ec, text]) => {
        const rangeOffset = this.offsetAt(sl, sc);
        return { range: { startLineNumber: sl, startColumn: sc, endLineNumber: el, endColumn: ec }, rangeOffset, rangeLength: this.offsetAt(el, ec) - rangeOffset, text };
      })
      .sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const change of changes) this.text = this.text.slice(0, change.rangeOffset) + change.text + this.text.slice(change.rangeOffset + change.rangeLength);
    this.versionId++;
    const event = { changes, versionId: this.versionId, isFlush: false, eol: '\n', isUndoing: false, isRedoing: false };
    for (const listener of [...this.listeners]) listener(event);
  }

  getWordAtPosition(position: { lineNumber: number; column: number }): { word: string; startColumn: number; endColumn: number } | null {
    const line = this.text.split('\n')[position.lineNumber - 1] ?? '';
    for (const match of line.matchAll(/\w+/g)) {
      const start = match.index! + 1;
      const end = start + match[0].length;
      if (position.column >= start && position.column <= end) return { word: match[0], startColumn: start, endColumn: end };
    }
    return null;
  }
}

export interface Registration {
  kind: 'completion' | 'hover' | 'signatureHelp' | 'definition';
  selector: any;
  provider: any;
  disposed: boolean;
}

/** Monaco's API as the language client uses it; the enums carry Monaco's own values. */
export function fakeMonaco() {
  const registrations: Registration[] = [];
  const markers = new Map<string, any[]>();
  const openers: any[] = [];
  const register = (kind: Registration['kind']) => (selector: any, provider: any) => {
    const registration: Registration = { kind, selector, provider, disposed: false };
    registrations.push(registration);
    return { dispose: () => (registration.disposed = true) };
  };
  const monaco = {
    languages: {
      CompletionItemKind: {
        Method: 0, Function: 1, Constructor: 2, Field: 3, Variable: 4, Class: 5, Struct: 6, Interface: 7, Module: 8, Property: 9,
        Event: 10, Operator: 11, Unit: 12, Value: 13, Constant: 14, Enum: 15, EnumMember: 16, Keyword: 17, Text: 18, Color: 19,
        File: 20, Reference: 21, Customcolor: 22, Folder: 23, TypeParameter: 24, User: 25, Issue: 26, Tool: 27, Snippet: 28,
      },
      CompletionItemInsertTextRule: { None: 0, KeepWhitespace: 1, InsertAsSnippet: 4 },
      CompletionItemTag: { Deprecated: 1 },
      CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
      registerCompletionItemProvider: register('completion'),
      registerHoverProvider: register('hover'),
      registerSignatureHelpProvider: register('signatureHelp'),
      registerDefinitionProvider: register('definition'),
    },
    MarkerSeverity: { Hint: 1, Info: 2, Warning: 4, Error: 8 },
    MarkerTag: { Unnecessary: 1, Deprecated: 2 },
    editor: {
      setModelMarkers(model: FakeModel, owner: string, data: any[]) {
        markers.set(`${model.uri.toString()} ${owner}`, data);
      },
      registerEditorOpener(opener: any) {
        openers.push(opener);
        return { dispose: () => openers.splice(openers.indexOf(opener), 1) };
      },
    },
  };
  /** The live provider of `kind` (the latest registration not disposed). */
  const provider = (kind: Registration['kind']) => [...registrations].reverse().find((r) => r.kind === kind && !r.disposed);
  const markersOf = (model: FakeModel, owner = 'lsp') => markers.get(`${model.uri.toString()} ${owner}`);
  return { monaco, registrations, provider, markersOf, openers };
}

/** The suggest model's events, as Monaco's SuggestController has them. */
export function fakeSuggestModel() {
  const triggers = new Set<(e: { auto: boolean }) => void>();
  const cancels = new Set<(e: { retrigger: boolean }) => void>();
  return {
    onDidTrigger: (l: (e: { auto: boolean }) => void) => (triggers.add(l), { dispose: () => triggers.delete(l) }),
    onDidCancel: (l: (e: { retrigger: boolean }) => void) => (cancels.add(l), { dispose: () => cancels.delete(l) }),
    trigger: (auto: boolean) => triggers.forEach((l) => l({ auto })),
    cancel: (retrigger: boolean) => cancels.forEach((l) => l({ retrigger })),
  };
}

/** The editor: its options (what the Enter rule switches) and the suggest controller. */
export function fakeEditor(suggestModel = fakeSuggestModel()) {
  const options: Record<string, unknown> = {};
  let model: FakeModel | null = null;
  return {
    suggestModel,
    options,
    setModel: (m: FakeModel | null) => (model = m),
    getModel: () => model,
    updateOptions: (o: Record<string, unknown>) => Object.assign(options, o),
    getContribution: (id: string) => (id === 'editor.contrib.suggestController' ? { model: suggestModel } : null),
  };
}

/** Monaco's cancellation token, cancellable by the test. */
export function cancellation() {
  const listeners = new Set<() => void>();
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => void) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
  };
  return { token, cancel: () => ((token.isCancellationRequested = true), listeners.forEach((l) => l())) };
}
