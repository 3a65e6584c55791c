// The IDE's editing core: Monaco with one model per open file, each file a collaborative
// document on the workspace's one collab socket, remote cursors, presence and the connection
// indicator; files of a language with a server get the language client (./lsp, loaded when the
// first one opens). Implements editor-area.ts; loaded lazily with Monaco (import('./editor')).
import type { IPosition, IRange, Uri } from 'monaco-editor/editor/editor.api';
import { FilesApi } from '../../api';
import { h } from '../../dom';
import type { ConnectSharedDocuments, DocumentEvents, LinkState, SharedDocument } from '../shared-text/documents';
import { diffOperation } from '../shared-text/text-diff';
import type { Diagnostic, DocumentClosed, EditorArea, EditorAreaOptions } from '../editor-area';
import { renderConnectionStatus } from './connection-status';
import { flushToFiles } from './flush';
import { LanguageServicesLoader } from './language-services';
import { toMarker } from './markers';
import { monaco } from './monaco';
import { changesToOperation, eolNormalizingOperation, operationToReplacements } from './op-conversion';
import { renderPresence, type PresenceSelf } from './presence-list';
import { RemoteCursors } from './remote-cursors';
import { UndoHistory } from './undo-history';
import type TextOperation from 'ot/lib/text-operation';

type Model = ReturnType<typeof monaco.editor.createModel>;

interface OpenFile {
  path: string;
  doc: SharedDocument;
  model: Model | null;
  viewState: ViewState | null;
  diagnostics: readonly Diagnostic[];
  history: UndoHistory;
  /** Set while this code writes a remote change into the model, so it is not taken as local. */
  applyingRemote: boolean;
}

type ViewState = ReturnType<ReturnType<typeof monaco.editor.create>['saveViewState']>;

const NOTICE_MS = 8000;

/** The editing core on `connect`'s shared documents (editing-core.ts passes the collaboration client). */
export async function createEditorArea(options: EditorAreaOptions, connect: ConnectSharedDocuments): Promise<EditorArea> {
  const files = new FilesApi(options.api.client, options.workspaceId);
  const opened = new Map<string, OpenFile>();
  const textListeners = new Set<(path: string, local: boolean) => void>();
  const closeListeners = new Set<(closed: DocumentClosed) => void>();
  const runListeners = new Set<() => void>();
  const servingListeners = new Set<(path: string, serving: boolean) => void>();
  let active: OpenFile | null = null;
  let self: PresenceSelf | null = null;
  let linkWhy = '';
  let disposed = false;

  const surface = h('div', { class: 'editor-surface' });
  const placeholder = h('div', { class: 'editor-placeholder' }, 'Open a file from the tree to edit it.');
  const notice = h('div', { class: 'editor-notice', role: 'status', 'data-testid': 'editor-notice', hidden: true });
  // A box of its own, so the editor has a size whatever the workbench's layout gives its host.
  options.editorHost.replaceChildren(h('div', { class: 'editor-core' }, surface, placeholder, notice));

  const editor = monaco.editor.create(surface, {
    model: null,
    theme: 'vs-dark',
    automaticLayout: true,
    readOnly: options.readOnly,
    minimap: { enabled: false },
    fontSize: 14,
    scrollBeyondLastLine: false,
    // Suggestions come from language servers only, and open by themselves only in their files
    // (show() switches them). Enter takes one only from a list the person or a trigger character
    // asked for (./lsp/enter-rule.ts switches acceptSuggestionOnEnter per list); Tab always does.
    ...suggestionOptions(false),
    acceptSuggestionOnEnter: 'off',
    wordBasedSuggestions: 'off',
    // Several definitions: go to the first (Monaco's peek view is not in this lean build).
    gotoLocation: { multipleDefinitions: 'goto', multipleTypeDefinitions: 'goto', multipleDeclarations: 'goto', multipleImplementations: 'goto', multipleReferences: 'goto' },
    fixedOverflowWidgets: true,
  });
  const cursors = new RemoteCursors(monaco, editor);
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => {
    for (const listener of runListeners) listener();
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ, () => undoOrRedo('undo'));
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, () => undoOrRedo('redo'));
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY, () => undoOrRedo('redo'));

  /** Applies a step of the shared-document undo history as a local edit. */
  function undoOrRedo(which: 'undo' | 'redo'): void {
    const file = active;
    const model = file?.model;
    if (!file || !model || editor.getOption(monaco.editor.EditorOption.readOnly)) return;
    file.history[which]((operation) => {
      const replacements = operationToReplacements(operation, file.doc.text);
      // Not marked remote: the content listener sends it and files its inverse for redo.
      model.applyEdits(replacements.map((r) => ({
        range: monaco.Range.fromPositions(model.getPositionAt(r.offset), model.getPositionAt(r.offset + r.length)),
        text: r.text,
      })));
      const last = replacements[replacements.length - 1];
      if (last) {
        const position = model.getPositionAt(last.offset + last.text.length);
        editor.setPosition(position);
        editor.revealPositionInCenterIfOutsideViewport(position);
      }
    });
  }

  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  function showNotice(message: string, sticky = false): void {
    notice.textContent = message;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    if (!sticky) noticeTimer = setTimeout(() => (notice.hidden = true), NOTICE_MS);
  }

  function renderStatus(state: LinkState, why: string): void {
    linkWhy = state === 'stopped' ? why : '';
    renderConnectionStatus(options.statusHost, state, why);
  }

  const connection = connect({
    socketUrl: () => options.api.client.socketUrl(`/ws/collab/${encodeURIComponent(options.workspaceId)}`),
    onState: (state, why) => {
      renderStatus(state, why);
      if (state === 'stopped' && why !== 'disposed') showNotice(why, true);
    },
    onSessionEnded: () => {
      // A request now gets the 401 that makes the app sign out (its one place for that).
      options.api.auth.me().catch(() => {});
    },
    onDocumentClosed: (closed) => {
      const file = opened.get(closed.path);
      if (file) forget(file);
      showNotice(closed.reason === 'moved' && closed.to ? `${closed.path} was moved to ${closed.to}` : `${closed.path} was ${closed.reason}`);
      for (const listener of closeListeners) listener(closed.to === undefined ? { path: closed.path, reason: closed.reason } : { ...closed });
    },
  });
  renderStatus('connecting', '');
  connection.start();

  options.api.auth.me().then((me) => {
    self = { username: me.username };
    renderActivePresence();
  }, () => {});

  function renderActivePresence(): void {
    renderPresence(options.presenceHost, self, active ? active.doc.peers.values() : []);
  }

  function renderActiveCursors(): void {
    cursors.render(active?.model ?? null, active ? active.doc.peers.values() : []);
  }

  function fireText(path: string, local: boolean): void {
    for (const listener of textListeners) listener(path, local);
  }

  // ------------------------------------------------------------------ model ⇄ document

  function writeRemote(file: OpenFile, apply: (model: Model) => void): void {
    const model = file.model;
    if (!model) return;
    file.applyingRemote = true;
    try {
      apply(model);
    } finally {
      file.applyingRemote = false;
    }
  }

  /** Makes the model hold exactly the document's text (LF), without a local edit. */
  function replaceModelText(file: OpenFile, text: string): void {
    writeRemote(file, (model) => model.applyEdits([{ range: model.getFullModelRange(), text }]));
  }

  /**
   * The document may hold CR line ends (a file written from outside); the model cannot. An
   * editor turns them into LF for everyone; a viewer cannot, and follows as well as it can.
   */
  function normalizeDocumentEol(file: OpenFile): void {
    if (!file.doc.text.includes('\r') || file.doc.readOnly || options.readOnly) return;
    const operation = eolNormalizingOperation(file.doc.text);
    if (!operation) return;
    // Not an undoable step of this person's, but the history must follow the text.
    file.history.remote(operation);
    file.doc.edit(operation);
  }

  function checkInStep(file: OpenFile): void {
    if (file.model && file.model.getValueLength() !== file.doc.text.length && !file.doc.text.includes('\r')) {
      // Should not happen; if it does, the document (what the server agrees on) wins.
      console.warn(`editor: ${file.path} drifted from its document; resetting the model`);
      replaceModelText(file, file.doc.text);
    }
  }

  function modelUri(path: string): Uri {
    return monaco.Uri.from({ scheme: 'webide', authority: options.workspaceId, path: `/${path}` });
  }

  /** The workspace path of one of this editor's model URIs; null for anything else. */
  function pathOf(uri: Uri): string | null {
    const ours = uri.scheme === 'webide' && uri.authority.toLowerCase() === options.workspaceId.toLowerCase() && uri.path.length > 1;
    return ours ? uri.path.slice(1) : null;
  }

  function createModel(file: OpenFile, text: string): void {
    const uri = modelUri(file.path);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(text, options.editorLanguage(file.path), uri);
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    file.model = model;
    model.onDidChangeContent((event) => {
      if (file.applyingRemote) return;
      let operation: TextOperation;
      const before = file.doc.text;
      try {
        operation = changesToOperation(event.changes, before.length);
        if (operation.targetLength !== model.getValueLength()) throw new RangeError('length mismatch');
      } catch {
        operation = diffOperation(before, model.getValue());
      }
      file.history.local(operation, before);
      file.doc.edit(operation);
      fireText(file.path, true);
      if (file === active) renderActiveCursors();
    });
    languageServices.open(file.path, model);
    applyMarkers(file);
  }

  function documentEvents(file: OpenFile): DocumentEvents {
    return {
      reset(text) {
        file.history.clear();
        if (!file.model) createModel(file, text);
        else replaceModelText(file, text);
        normalizeDocumentEol(file);
        if (file === active) {
          updateReadOnly();
          renderActiveCursors();
        }
        fireText(file.path, false);
      },
      remoteOperation(operation, before) {
        if (!file.model) return;
        const replacements = operationToReplacements(operation, before);
        writeRemote(file, (model) => model.applyEdits(replacements.map((r) => ({
          range: monaco.Range.fromPositions(model.getPositionAt(r.offset), model.getPositionAt(r.offset + r.length)),
          text: r.text,
        }))));
        file.history.remote(operation);
        if (replacements.some((r) => r.text.includes('\r'))) normalizeDocumentEol(file);
        checkInStep(file);
        if (file === active) renderActiveCursors();
        fireText(file.path, false);
      },
      peersChanged() {
        if (file === active) {
          renderActiveCursors();
          renderActivePresence();
        }
      },
      stateChanged() {
        if (file === active) updateReadOnly();
      },
      notice: (message) => showNotice(message),
    };
  }

  function updateReadOnly(): void {
    const readOnly = options.readOnly || !active || active.doc.readOnly || active.doc.phase === 'closed';
    if (editor.getOption(monaco.editor.EditorOption.readOnly) !== readOnly) editor.updateOptions({ readOnly });
  }

  editor.onDidChangeCursorSelection(() => {
    const file = active;
    const model = editor.getModel();
    if (!file || !file.model || model !== file.model) return;
    const selections = editor.getSelections() ?? [];
    file.doc.select(selections.map((s) => ({
      anchor: model.getOffsetAt({ lineNumber: s.selectionStartLineNumber, column: s.selectionStartColumn }),
      head: model.getOffsetAt({ lineNumber: s.positionLineNumber, column: s.positionColumn }),
    })));
  });

  // ------------------------------------------------------------------ markers

  /** The check's markers, unless a language server serves the file (its own are the file's then). */
  function applyMarkers(file: OpenFile): void {
    if (!file.model) return;
    const diagnostics = languageServices.serves(file.path) ? [] : file.diagnostics;
    monaco.editor.setModelMarkers(file.model, 'check', diagnostics.map((d) => toMarker(d, {
      error: monaco.MarkerSeverity.Error,
      warning: monaco.MarkerSeverity.Warning,
    })));
  }

  // ------------------------------------------------------------------ language servers

  const languageServices = new LanguageServicesLoader({
    load: () => import('./lsp'),
    serverLanguage: (path) => options.serverLanguage(path),
    options: () => ({
      monaco,
      editor,
      socketUrl: (language) => options.api.client.socketUrl(`/ws/lsp/${encodeURIComponent(options.workspaceId)}/${encodeURIComponent(language)}`),
      modelUri,
      pathOf,
      openFile: openAt,
      onServingChanged: (path, serving) => {
        const file = opened.get(path);
        // The check's findings are for text the server's diagnostics now follow: when it goes, the
        // file is checked again rather than shown with findings from before.
        if (file && serving) file.diagnostics = [];
        if (file) applyMarkers(file);
        for (const listener of servingListeners) listener(path, serving);
      },
      onNotice: (message) => showNotice(message),
      // A request now gets the 401 that makes the app sign out (its one place for that).
      onSessionEnded: () => void options.api.auth.me().catch(() => {}),
    }),
  });

  /** A definition in another file: its tab opens, the cursor goes to the definition. */
  async function openAt(path: string, at: IRange | IPosition | undefined): Promise<boolean> {
    await options.openFile(path);
    if (disposed || active?.path !== path) return false; // it could not open, or the person moved on
    if (at) {
      const position = 'startLineNumber' in at ? { lineNumber: at.startLineNumber, column: at.startColumn } : at;
      editor.setPosition(position);
      editor.revealPositionInCenterIfOutsideViewport(position);
    }
    editor.focus();
    return true;
  }

  // ------------------------------------------------------------------ files

  function show(file: OpenFile | null): void {
    if (active && active !== file && active.model && editor.getModel() === active.model) active.viewState = editor.saveViewState();
    active = file;
    editor.updateOptions(suggestionOptions(file !== null && options.serverLanguage(file.path) !== undefined));
    editor.setModel(file?.model ?? null);
    if (file?.viewState) editor.restoreViewState(file.viewState);
    placeholder.hidden = file !== null;
    updateReadOnly();
    renderActiveCursors();
    renderActivePresence();
    if (file) editor.focus();
  }

  function forget(file: OpenFile): void {
    opened.delete(file.path);
    if (active === file) show(null);
    languageServices.close(file.path);
    file.model?.dispose();
    file.model = null;
  }

  const webide = ((window as unknown as { webide?: Record<string, unknown> }).webide ??= {});
  Object.assign(webide, {
    getText: (path: string) => area.getText(path),
    getMarkers: (path: string) => {
      const model = opened.get(path)?.model;
      return model ? monaco.editor.getModelMarkers({ resource: model.uri }) : [];
    },
    hasLanguageServer: (path: string) => area.hasLanguageServer(path),
    /** Where the cursor is in the file shown (browser scenarios: go to definition). */
    getCursor: () => {
      const position = editor.getPosition();
      return active && position ? { path: active.path, lineNumber: position.lineNumber, column: position.column } : null;
    },
  });

  const area: EditorArea = {
    async open(path) {
      let file = opened.get(path);
      if (!file) {
        const created: OpenFile = { path, doc: null!, model: null, viewState: null, diagnostics: [], history: new UndoHistory(), applyingRemote: false };
        created.doc = connection.open(path, documentEvents(created));
        opened.set(path, created);
        file = created;
      }
      try {
        await file.doc.ready;
      } catch (error) {
        if (opened.get(path) === file) forget(file);
        throw error;
      }
      if (disposed || opened.get(path) !== file) return;
      show(file);
    },
    close(path) {
      const file = opened.get(path);
      if (!file) return;
      connection.leave(path);
      forget(file);
    },
    activePath: () => active?.path ?? null,
    getText(path) {
      const file = opened.get(path);
      return file?.model ? file.model.getValue() : undefined;
    },
    setDiagnostics(path, diagnostics) {
      const file = opened.get(path);
      if (!file) return;
      file.diagnostics = diagnostics;
      applyMarkers(file);
    },
    hasLanguageServer: (path) => languageServices.serves(path),
    onDidChangeLanguageServer(listener) {
      servingListeners.add(listener);
      return () => servingListeners.delete(listener);
    },
    flushToFiles(timeoutMs = 5000) {
      return flushToFiles({
        timeoutMs,
        documents: () => [...opened.values()].map((file) => ({
          path: file.path,
          settled: () => file.doc.settled,
          text: () => file.doc.text,
          gone: () => opened.get(file.path) !== file || file.doc.phase === 'closed',
        })),
        readFile: async (path, signal) => (await files.readFile(path, signal)).text(),
        stopped: () => (connection.linkState === 'stopped' ? linkWhy || 'the connection stopped' : null),
      });
    },
    onDidChangeText(listener) {
      textListeners.add(listener);
      return () => textListeners.delete(listener);
    },
    onDidCloseDocument(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    onRunRequested(listener) {
      runListeners.add(listener);
      return () => runListeners.delete(listener);
    },
    connectionState: () => (connection.linkState === 'online' ? 'online' : 'offline'),
    dispose() {
      if (disposed) return;
      disposed = true;
      clearTimeout(noticeTimer);
      languageServices.dispose();
      servingListeners.clear();
      connection.dispose();
      cursors.dispose();
      for (const file of opened.values()) file.model?.dispose();
      opened.clear();
      editor.dispose();
      options.editorHost.replaceChildren();
      options.presenceHost.replaceChildren();
      delete webide.getText;
      delete webide.getMarkers;
      delete webide.hasLanguageServer;
      delete webide.getCursor;
    },
  };
  return area;
}

/**
 * Suggestions that open by themselves while typing, for a file a language server serves; none
 * elsewhere (nothing would be behind them, and they would only take keys from a person typing).
 */
function suggestionOptions(served: boolean): { quickSuggestions: { other: 'on' | 'off'; comments: 'off'; strings: 'off' }; suggestOnTriggerCharacters: boolean } {
  return { quickSuggestions: { other: served ? 'on' : 'off', comments: 'off', strings: 'off' }, suggestOnTriggerCharacters: served };
}
