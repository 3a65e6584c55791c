// The language client (docs/api.md §6), a chunk of its own: the editing core loads it with import()
// when the first file of a language with a server opens (../language-services.ts), so nobody who
// never opens one pays for it.
//
// One connection per language, shared by that language's open files; a file's model is a document
// on it from the moment the model exists (its tab opens) until it goes (its tab closes, or the file
// moves or is deleted). Every change of the model is sent, the person's and those of the other
// people in a shared document alike (the collaboration client writes theirs into the same model),
// so the server's text is the text on screen and its positions fit. Diagnostics become markers of
// the owner 'lsp'; the editing core hides its 'check' markers while a server serves the file.
import type { IDisposable, IPosition, IRange, Uri, editor } from 'monaco-editor/editor/editor.api';
import type { Monaco } from '../monaco';
import { LanguageServerConnection, type ConnectionState } from './connection';
import { toContentChanges, toMarker } from './conversions';
import { EnterRule, followSuggestSessions } from './enter-rule';
import type { SocketLike } from '../../../api/socket-like';
import type { PublishDiagnosticsParams } from './protocol';
import { registerProviders } from './providers';
import { workspacePathOf, workspaceUri } from './uris';

export const MARKER_OWNER = 'lsp';

/** How long a language's connection stays after its last file closed (reopening one soon costs no new server). */
const LINGER_MS = 60_000;

/** LSP's language identifiers where they differ from the platform's language names. */
const LSP_LANGUAGE_IDS: Record<string, string> = { bash: 'shellscript' };

export function lspLanguageId(language: string): string {
  return LSP_LANGUAGE_IDS[language] ?? language;
}

export interface LanguageServicesOptions {
  monaco: Monaco;
  editor: editor.IStandaloneCodeEditor;
  /** /ws/lsp/{workspaceId}/{language} with a current token. */
  socketUrl(language: string): Promise<string>;
  /** The editor's model URI of a workspace path, and back (null: not a file of this workspace). */
  modelUri(path: string): Uri;
  pathOf(uri: Uri): string | null;
  /** Opens `path` in a tab, shown at `at` (a definition in another file). */
  openFile(path: string, at: IRange | IPosition | undefined): Promise<boolean>;
  /** Whether a language server now serves `path` (its diagnostics replace the check's) changed. */
  onServingChanged(path: string, serving: boolean): void;
  /** Something the person should know (a server that will not come). */
  onNotice(message: string): void;
  /** The session is over (4001): the app signs out. */
  onSessionEnded(): void;
  createSocket?(url: string): SocketLike;
}

/** A file open in the editor whose language has a server. */
export interface LanguageDocument {
  path: string;
  /** The platform's language name (the socket's `{language}`). */
  language: string;
  model: editor.ITextModel;
}

export interface LanguageServices {
  open(document: LanguageDocument): void;
  close(path: string): void;
  /** A server has `path` open with the editor's text (its diagnostics are the file's). */
  serves(path: string): boolean;
  dispose(): void;
}

interface Client {
  language: string;
  connection: LanguageServerConnection;
  /** The Monaco language ids of its documents' models: what its providers are registered for. */
  editorLanguages: Set<string>;
  providers: IDisposable | null;
  linger: ReturnType<typeof setTimeout> | undefined;
}

interface OpenDocument {
  path: string;
  uri: string;
  model: editor.ITextModel;
  client: Client;
  serving: boolean;
  subscription: IDisposable;
}

export function createLanguageServices(options: LanguageServicesOptions): LanguageServices {
  const { monaco } = options;
  const clients = new Map<string, Client>();
  const documents = new Map<string, OpenDocument>();
  const byUri = new Map<string, OpenDocument>();
  let disposed = false;

  const enterRule = new EnterRule((accepts) => options.editor.updateOptions({ acceptSuggestionOnEnter: accepts ? 'on' : 'off' }));
  const sessions = followSuggestSessions(options.editor, enterRule);

  // Go to definition in another file: Monaco asks the editor's openers; ours opens the file's tab.
  const opener = monaco.editor.registerEditorOpener({
    openCodeEditor(source, resource, selectionOrPosition) {
      const path = options.pathOf(resource);
      // The file shown: Monaco moves there itself. Not a workspace file: nothing to open.
      if (path === null || source.getModel()?.uri.toString() === resource.toString()) return false;
      return options.openFile(path, selectionOrPosition);
    },
  });

  function documentsOf(client: Client): OpenDocument[] {
    return [...documents.values()].filter((d) => d.client === client);
  }

  function setServing(document: OpenDocument, serving: boolean): void {
    if (document.serving === serving) return;
    document.serving = serving;
    if (!serving && !document.model.isDisposed()) monaco.editor.setModelMarkers(document.model, MARKER_OWNER, []);
    options.onServingChanged(document.path, serving);
  }

  function registerFor(client: Client): void {
    client.providers?.dispose();
    client.providers = registerProviders({
      monaco,
      connection: client.connection,
      documentUri: (model) => {
        const document = byUri.get(model.uri.toString());
        return document && document.client === client ? document.uri : null;
      },
      modelUri: options.modelUri,
      onTriggerCharacter: () => enterRule.triggerCharacter(),
    }, [...client.editorLanguages], client.connection.serverCapabilities);
  }

  function stateChanged(client: Client, state: ConnectionState, detail: string): void {
    if (state === 'ready') registerFor(client);
    for (const document of documentsOf(client)) setServing(document, client.connection.serves(document.uri));
    if (state === 'stopped' && detail !== 'disposed' && detail !== 'your session ended') {
      options.onNotice(`No ${client.language} language server: ${detail}.`);
    }
  }

  function diagnostics(client: Client, params: PublishDiagnosticsParams): void {
    const path = workspacePathOf(params.uri);
    const document = path === null ? undefined : documents.get(path);
    // A file that is not open here (servers report on the whole project): nothing shows it.
    if (!document || document.client !== client || document.model.isDisposed()) return;
    monaco.editor.setModelMarkers(document.model, MARKER_OWNER, params.diagnostics.map((d) => toMarker(d, monaco)));
  }

  function createClient(language: string): Client {
    const client: Client = { language, connection: null!, editorLanguages: new Set(), providers: null, linger: undefined };
    client.connection = new LanguageServerConnection({
      socketUrl: () => options.socketUrl(language),
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
      onStateChange: (state, detail) => stateChanged(client, state, detail),
      onDiagnostics: (params) => diagnostics(client, params),
      onDocumentDropped: (uri) => {
        const document = byUri.get(uri);
        if (document) setServing(document, false);
      },
      onSessionEnded: options.onSessionEnded,
    });
    clients.set(language, client);
    return client;
  }

  function disposeClient(client: Client): void {
    clearTimeout(client.linger);
    client.providers?.dispose();
    client.connection.dispose();
    if (clients.get(client.language) === client) clients.delete(client.language);
  }

  function clientFor(language: string): Client {
    const existing = clients.get(language);
    // A server that refused (too many servers, say) is asked again once its files were all closed.
    if (existing && existing.connection.state === 'stopped' && existing.connection.documentCount === 0) disposeClient(existing);
    return clients.get(language) ?? createClient(language);
  }

  const services: LanguageServices = {
    open({ path, language, model }) {
      if (disposed) return;
      if (documents.has(path)) services.close(path);
      const client = clientFor(language);
      clearTimeout(client.linger);
      const uri = workspaceUri(path);
      const document: OpenDocument = {
        path, uri, model, client, serving: false,
        // Every change: typed here, undone, or a peer's written in by the collaboration client.
        subscription: model.onDidChangeContent((event) => {
          client.connection.changeDocument(uri, event.versionId, toContentChanges(event, () => model.getValue()));
        }),
      };
      documents.set(path, document);
      byUri.set(model.uri.toString(), document);
      const editorLanguage = model.getLanguageId();
      if (!client.editorLanguages.has(editorLanguage)) {
        client.editorLanguages.add(editorLanguage);
        if (client.providers) registerFor(client);
      }
      client.connection.openDocument({ uri, languageId: lspLanguageId(language), version: () => model.getVersionId(), text: () => model.getValue() });
      setServing(document, client.connection.serves(uri));
    },
    close(path) {
      const document = documents.get(path);
      if (!document) return;
      documents.delete(path);
      if (byUri.get(document.model.uri.toString()) === document) byUri.delete(document.model.uri.toString());
      document.subscription.dispose();
      const { client } = document;
      client.connection.closeDocument(document.uri);
      if (!document.model.isDisposed()) monaco.editor.setModelMarkers(document.model, MARKER_OWNER, []);
      if (client.connection.documentCount === 0) {
        clearTimeout(client.linger);
        client.linger = setTimeout(() => disposeClient(client), LINGER_MS);
      }
    },
    serves(path) {
      const document = documents.get(path);
      return document !== undefined && document.client.connection.serves(document.uri);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const path of [...documents.keys()]) services.close(path);
      for (const client of [...clients.values()]) disposeClient(client);
      opener.dispose();
      sessions.dispose();
    },
  };
  return services;
}
