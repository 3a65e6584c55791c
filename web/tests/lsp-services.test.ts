// The language client as the editing core uses it (src/ide/editor/lsp/index.ts), against a fake
// Monaco, fake models and a fake /ws/lsp: documents in step with the editor's models (peers' edits
// included), the providers, go to definition, diagnostics as markers, and the Enter rule.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnterRule, followSuggestSessions } from '../src/ide/editor/lsp/enter-rule';
import { createLanguageServices, lspLanguageId, type LanguageServices } from '../src/ide/editor/lsp';
import { FakeLspSocket, FakeModel, FakeUri, WORKSPACE, cancellation, fakeEditor, fakeMonaco, fakeSuggestModel } from './lsp-fakes';

const PYRIGHT = {
  textDocumentSync: { openClose: true, change: 2 },
  completionProvider: { triggerCharacters: ['.', '['], resolveProvider: true },
  hoverProvider: true,
  signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
  definitionProvider: true,
};

describe('language services', () => {
  let fake: ReturnType<typeof fakeMonaco>;
  let editor: ReturnType<typeof fakeEditor>;
  let services: LanguageServices;
  let opened: Array<[string, unknown]>;
  let serving: string[];
  let notices: string[];
  let sessionEnded: number;
  const settle = () => vi.advanceTimersByTimeAsync(0);
  const socket = () => FakeLspSocket.latest();
  const handshake = async (capabilities: object = PYRIGHT) => {
    await settle();
    socket().handshake(capabilities);
    await settle();
  };
  const socketFor = (language: string) => FakeLspSocket.created.filter((s) => s.url.includes(`/${language}?`));

  beforeEach(() => {
    vi.useFakeTimers();
    FakeLspSocket.created.splice(0);
    fake = fakeMonaco();
    editor = fakeEditor();
    opened = [];
    serving = [];
    notices = [];
    sessionEnded = 0;
    services = createLanguageServices({
      monaco: fake.monaco as never,
      editor: editor as never,
      socketUrl: async (language) => `ws://host/ws/lsp/${WORKSPACE}/${language}?ticket=t`,
      modelUri: (path) => new FakeUri('webide', WORKSPACE, `/${path}`) as never,
      pathOf: (uri) => (uri.scheme === 'webide' && uri.authority === WORKSPACE ? uri.path.slice(1) : null),
      openFile: async (path, at) => (opened.push([path, at]), true),
      onServingChanged: (path, on) => serving.push(`${path} ${on}`),
      onNotice: (message) => notices.push(message),
      onSessionEnded: () => sessionEnded++,
      createSocket: (url) => new FakeLspSocket(url),
    });
  });

  afterEach(() => {
    services.dispose();
    vi.useRealTimers();
  });

  describe('documents', () => {
    it('opens a model as a document, sends each change as it happens, and closes it with its tab', async () => {
      const model = new FakeModel('src/main.py', 'import os\n');
      services.open({ path: 'src/main.py', language: 'python', model: model as never });
      await handshake();
      expect(socket().url).toBe(`ws://host/ws/lsp/${WORKSPACE}/python?ticket=t`);
      expect(socket().take('textDocument/didOpen')[0].params.textDocument).toEqual({
        uri: 'file:///workspace/src/main.py', languageId: 'python', version: 1, text: 'import os\n',
      });
      expect(services.serves('src/main.py')).toBe(true);
      expect(serving).toEqual(['src/main.py true']);

      model.edit([2, 1, 2, 1, 'o']);
      model.edit([2, 2, 2, 2, 's']);
      services.close('src/main.py');
      expect(socket().take().map((m) => [m.method, m.params.textDocument.version ?? null, m.params.contentChanges ?? null])).toEqual([
        ['textDocument/didChange', 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, rangeLength: 0, text: 'o' }]],
        ['textDocument/didChange', 3, [{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, rangeLength: 0, text: 's' }]],
        ['textDocument/didClose', null, null],
      ]);
      model.edit([1, 1, 1, 1, '#']);
      expect(socket().sent).toEqual([]); // closed: its changes are no longer the server's
    });

    it('sends the changes other people make in a shared document too (they are written into the same model)', async () => {
      const model = new FakeModel('shared.py', 'x = 1\n');
      services.open({ path: 'shared.py', language: 'python', model: model as never });
      await handshake();
      socket().take();
      // What the collaboration client does with a peer's operation: one applyEdits on the model.
      model.edit([1, 5, 1, 6, '2'], [2, 1, 2, 1, 'y = x\n']);
      const [change] = socket().take('textDocument/didChange');
      expect(change.params).toEqual({
        textDocument: { uri: 'file:///workspace/shared.py', version: 2 },
        contentChanges: [
          { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, rangeLength: 0, text: 'y = x\n' },
          { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, rangeLength: 1, text: '2' },
        ],
      });
    });

    it('shares one connection per language among its files; another language gets its own', async () => {
      services.open({ path: 'a.py', language: 'python', model: new FakeModel('a.py', 'a') as never });
      services.open({ path: 'b.py', language: 'python', model: new FakeModel('b.py', 'b') as never });
      services.open({ path: 'm.sh', language: 'bash', model: new FakeModel('m.sh', 'echo', 'shell') as never });
      await settle();
      expect(socketFor('python')).toHaveLength(1);
      expect(socketFor('bash')).toHaveLength(1);
      socketFor('python')[0]!.handshake(PYRIGHT);
      socketFor('bash')[0]!.handshake({ textDocumentSync: 2 });
      await settle();
      expect(socketFor('python')[0]!.take('textDocument/didOpen').map((m) => m.params.textDocument.uri)).toEqual(['file:///workspace/a.py', 'file:///workspace/b.py']);
      expect(socketFor('bash')[0]!.take('textDocument/didOpen')[0].params.textDocument.languageId).toBe('shellscript');
      expect(lspLanguageId('cpp')).toBe('cpp');
    });

    it('closes a language\'s connection a minute after its last file closed, unless one opens again', async () => {
      services.open({ path: 'a.py', language: 'python', model: new FakeModel('a.py', '') as never });
      await handshake();
      services.close('a.py');
      await vi.advanceTimersByTimeAsync(30_000);
      services.open({ path: 'b.py', language: 'python', model: new FakeModel('b.py', '') as never });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(socket().closedWith).toBeUndefined();
      services.close('b.py');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(socket().closedWith).toBe(1000);
      expect(FakeLspSocket.created).toHaveLength(1);
    });

    it('says so when a server will not come, and tries again once the files were closed and one opens', async () => {
      services.open({ path: 'a.py', language: 'python', model: new FakeModel('a.py', '') as never });
      await settle();
      socket().open();
      socket().serverClose(4008, 'too many');
      expect(notices).toEqual(['No python language server: you have too many language servers open; close files of other languages.']);
      services.close('a.py');
      services.open({ path: 'a.py', language: 'python', model: new FakeModel('a.py', '') as never });
      await settle();
      expect(FakeLspSocket.created).toHaveLength(2);
    });

    it('tells the app the session ended on 4001, without a notice', async () => {
      services.open({ path: 'a.py', language: 'python', model: new FakeModel('a.py', '') as never });
      await settle();
      socket().serverClose(4001);
      expect(sessionEnded).toBe(1);
      expect(notices).toEqual([]);
    });
  });

  describe('diagnostics', () => {
    it('become the model\'s markers of the owner lsp, go when the server goes, and come again after the reconnect', async () => {
      const model = new FakeModel('main.c', 'int main(void) { return "x"; }\n', 'c');
      services.open({ path: 'main.c', language: 'c', model: model as never });
      await handshake();
      const publish = (diagnostics: object[], uri = 'file:///workspace/main.c') =>
        socket().receive({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: 1, diagnostics } });
      publish([{ range: { start: { line: 0, character: 24 }, end: { line: 0, character: 27 } }, severity: 1, source: 'clang', message: 'incompatible pointer to integer conversion' }]);
      publish([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'elsewhere' }], 'file:///workspace/other.c');
      expect(fake.markersOf(model)).toEqual([{
        startLineNumber: 1, startColumn: 25, endLineNumber: 1, endColumn: 28,
        severity: fake.monaco.MarkerSeverity.Error, source: 'clang', message: 'incompatible pointer to integer conversion',
      }]);
      expect(fake.markersOf(model, 'check')).toBeUndefined(); // the check's markers are the editing core's

      socket().serverClose(1011, 'the language server stopped');
      expect(fake.markersOf(model)).toEqual([]);
      expect(serving).toEqual(['main.c true', 'main.c false']);
      expect(services.serves('main.c')).toBe(false);

      await vi.advanceTimersByTimeAsync(1000);
      await handshake();
      expect(serving).toEqual(['main.c true', 'main.c false', 'main.c true']);
    });
  });

  describe('providers', () => {
    async function openMain(text = 'import os\nos.pa\n') {
      const model = new FakeModel('main.py', text);
      editor.setModel(model);
      services.open({ path: 'main.py', language: 'python', model: model as never });
      await handshake();
      socket().take();
      return model;
    }

    it('registers what the server offers, for the editor\'s models of its language, with its trigger characters', async () => {
      await openMain();
      const completion = fake.provider('completion')!;
      expect(completion.selector).toEqual([{ language: 'python', scheme: 'webide' }]);
      expect(completion.provider.triggerCharacters).toEqual(['.', '[']);
      expect(fake.provider('signatureHelp')!.provider.signatureHelpTriggerCharacters).toEqual(['(', ',']);
      expect(fake.provider('signatureHelp')!.provider.signatureHelpRetriggerCharacters).toEqual([')']);
      expect(fake.provider('hover')).toBeDefined();
      expect(fake.provider('definition')).toBeDefined();
    });

    it('registers nothing a server does not offer', async () => {
      services.open({ path: 'a.sh', language: 'bash', model: new FakeModel('a.sh', '', 'shell') as never });
      await handshake({ textDocumentSync: 1, hoverProvider: true });
      expect(fake.registrations.map((r) => r.kind)).toEqual(['hover']);
    });

    it('asks for completions at the cursor with the trigger character, and maps the answer (snippets as snippets)', async () => {
      const model = await openMain();
      const { token } = cancellation();
      const asked = fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 6 }, { triggerKind: 0 }, token);
      await settle();
      expect(socket().request('textDocument/completion').params).toEqual({
        textDocument: { uri: 'file:///workspace/main.py' }, position: { line: 1, character: 5 }, context: { triggerKind: 1 },
      });
      socket().answer('textDocument/completion', {
        isIncomplete: true,
        items: [
          { label: 'path', kind: 9, sortText: '09', data: { relayItem: 3 } },
          { label: 'pathconf', kind: 3, insertText: 'pathconf(${1:path}, ${2:name})$0', insertTextFormat: 2, data: { relayItem: 4 } },
        ],
      });
      const list = await asked;
      expect(list.incomplete).toBe(true);
      expect(list.suggestions.map((s: any) => [s.label, s.kind, s.insertText, s.insertTextRules])).toEqual([
        ['path', fake.monaco.languages.CompletionItemKind.Module, 'path', 0],
        ['pathconf', fake.monaco.languages.CompletionItemKind.Function, 'pathconf(${1:path}, ${2:name})$0', 4],
      ]);
      // No edit range from the server: the word at the cursor, as Monaco does.
      expect(list.suggestions[0].range).toEqual({
        insert: { startLineNumber: 2, startColumn: 4, endLineNumber: 2, endColumn: 6 },
        replace: { startLineNumber: 2, startColumn: 4, endLineNumber: 2, endColumn: 6 },
      });

      // Resolve sends the server's own item back (the relay finds it by its data) and shows the documentation.
      const resolving = fake.provider('completion')!.provider.resolveCompletionItem(list.suggestions[0], token);
      await settle();
      expect(socket().request('completionItem/resolve').params).toEqual({ label: 'path', kind: 9, sortText: '09', data: { relayItem: 3 } });
      socket().answer('completionItem/resolve', { label: 'path', documentation: { kind: 'markdown', value: 'Common pathname manipulations' } });
      expect((await resolving).documentation).toEqual({ value: 'Common pathname manipulations', isTrusted: false, supportHtml: false });
    });

    it('sends the trigger character as LSP counts trigger kinds', async () => {
      const model = await openMain();
      void fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 4 }, { triggerKind: 1, triggerCharacter: '.' }, cancellation().token);
      void fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 5 }, { triggerKind: 2 }, cancellation().token);
      await settle();
      expect(socket().take('textDocument/completion').map((m) => m.params.context)).toEqual([
        { triggerKind: 2, triggerCharacter: '.' },
        { triggerKind: 3 },
      ]);
    });

    it('cancels a completion Monaco no longer wants, and shows nothing while the server is away', async () => {
      const model = await openMain();
      const { token, cancel } = cancellation();
      const asked = fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 6 }, { triggerKind: 0 }, token);
      await settle();
      cancel();
      expect((await asked).suggestions).toEqual([]);
      expect(socket().take('$/cancelRequest')).toHaveLength(1);

      socket().serverClose(1006);
      const away = await fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 6 }, { triggerKind: 0 }, cancellation().token);
      expect(away.suggestions).toEqual([]);
    });

    it('answers nothing for a model that is not one of the server\'s documents', async () => {
      await openMain();
      const stranger = new FakeModel('notes.py', '');
      expect(await fake.provider('hover')!.provider.provideHover(stranger, { lineNumber: 1, column: 1 }, cancellation().token)).toBeUndefined();
      expect(socket().sent).toEqual([]);
    });

    it('shows hovers and signature help', async () => {
      const model = await openMain('def f(a, b): ...\nf(1, \n');
      const hover = fake.provider('hover')!.provider.provideHover(model, { lineNumber: 2, column: 1 }, cancellation().token);
      await settle();
      expect(socket().request('textDocument/hover').params.position).toEqual({ line: 1, character: 0 });
      socket().answer('textDocument/hover', { contents: { kind: 'markdown', value: '```python\ndef f(a, b) -> None\n```' } });
      expect((await hover).contents[0].value).toBe('```python\ndef f(a, b) -> None\n```');

      const help = fake.provider('signatureHelp')!.provider.provideSignatureHelp(model, { lineNumber: 2, column: 6 }, cancellation().token, {
        triggerKind: 2, triggerCharacter: ',', isRetrigger: false,
      });
      await settle();
      expect(socket().request('textDocument/signatureHelp').params.context).toEqual({ triggerKind: 2, triggerCharacter: ',', isRetrigger: false });
      socket().answer('textDocument/signatureHelp', { signatures: [{ label: '(a, b) -> None', parameters: [{ label: [1, 2] }, { label: [4, 5] }] }], activeParameter: 1 });
      const result = await help;
      expect(result.value.activeParameter).toBe(1);
      expect(result.value.signatures[0].parameters).toEqual([{ label: [1, 2] }, { label: [4, 5] }]);
    });
  });

  describe('go to definition', () => {
    it('finds the definition in another file and opens that file\'s tab at it; nothing outside the workspace', async () => {
      const model = new FakeModel('main.py', 'from util import helper\nhelper()\n');
      editor.setModel(model);
      services.open({ path: 'main.py', language: 'python', model: model as never });
      await handshake();
      const found = fake.provider('definition')!.provider.provideDefinition(model, { lineNumber: 2, column: 2 }, cancellation().token);
      await settle();
      expect(socket().request('textDocument/definition').params).toEqual({ textDocument: { uri: 'file:///workspace/main.py' }, position: { line: 1, character: 1 } });
      socket().answer('textDocument/definition', [
        { targetUri: 'file:///workspace/util.py', targetRange: { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } }, targetSelectionRange: { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } } },
        { targetUri: 'file:///usr/lib/python3.11/typing.py', targetRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, targetSelectionRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
      ]);
      const locations = await found;
      expect(locations).toHaveLength(1);
      expect(String(locations[0].uri)).toBe(`webide://${WORKSPACE}/util.py`);

      // What Monaco then does with the target: asks the editor openers.
      const [opener] = fake.openers;
      const at = { startLineNumber: 4, startColumn: 5, endLineNumber: 4, endColumn: 5 };
      await expect(Promise.resolve(opener.openCodeEditor(editor, locations[0].uri, at))).resolves.toBe(true);
      expect(opened).toEqual([['util.py', at]]);
      // The file shown: Monaco moves the cursor itself. Not a workspace file: nothing.
      expect(opener.openCodeEditor(editor, model.uri, at)).toBe(false);
      expect(opener.openCodeEditor(editor, new FakeUri('http', 'example.com', '/'), at)).toBe(false);
      expect(opened).toHaveLength(1);
    });
  });

  describe('Enter and suggestions', () => {
    it('switches acceptSuggestionOnEnter per list: on for a trigger character or Ctrl+Space, off for a list that opened while typing', async () => {
      const model = new FakeModel('main.py', 'import os\nos.\n');
      editor.setModel(model);
      services.open({ path: 'main.py', language: 'python', model: model as never });
      await handshake();
      expect(editor.options.acceptSuggestionOnEnter).toBe('off');
      const suggest = editor.suggestModel;
      const provide = (triggerKind: number, triggerCharacter?: string) =>
        void fake.provider('completion')!.provider.provideCompletionItems(model, { lineNumber: 2, column: 4 }, { triggerKind, ...(triggerCharacter ? { triggerCharacter } : {}) }, cancellation().token);

      // `os.`: the trigger character opens the list.
      suggest.trigger(true);
      provide(1, '.');
      expect(editor.options.acceptSuggestionOnEnter).toBe('on');
      // Typing `pa` into an incomplete list asks again: the same list, the same rule.
      suggest.cancel(true);
      suggest.trigger(true);
      provide(2);
      expect(editor.options.acceptSuggestionOnEnter).toBe('on');
      suggest.cancel(false);
      expect(editor.options.acceptSuggestionOnEnter).toBe('off');

      // `imp` on a new line: the list opens by itself.
      suggest.trigger(true);
      provide(0);
      expect(editor.options.acceptSuggestionOnEnter).toBe('off');
      // Ctrl+Space on it: the person asked.
      suggest.cancel(true);
      suggest.trigger(false);
      provide(0);
      expect(editor.options.acceptSuggestionOnEnter).toBe('on');
    });
  });
});

describe('the Enter rule', () => {
  function rule() {
    const applied: boolean[] = [];
    const enter = new EnterRule((accepts) => applied.push(accepts));
    return { enter, applied };
  }

  it('starts with Enter as a newline and tells only changes', () => {
    const { enter, applied } = rule();
    enter.triggered(true);
    enter.cancelled(false);
    expect(applied).toEqual([false]);
    expect(enter.entersAccept).toBe(false);
  });

  it('lets Enter accept in a list the person asked for, until it closes', () => {
    const { enter } = rule();
    enter.triggered(false);
    expect(enter.entersAccept).toBe(true);
    enter.cancelled(true); // the word grew past the list's items: asked again
    enter.triggered(false);
    expect(enter.entersAccept).toBe(true);
    enter.cancelled(false);
    expect(enter.entersAccept).toBe(false);
  });

  it('keeps a trigger character\'s list acceptable through retriggers, and a typed word\'s not', () => {
    const { enter } = rule();
    enter.triggered(true);
    enter.triggerCharacter();
    enter.cancelled(true);
    enter.triggered(true);
    expect(enter.entersAccept).toBe(true);
    enter.cancelled(false);
    enter.triggered(true);
    expect(enter.entersAccept).toBe(false);
    enter.cancelled(true);
    enter.triggered(true);
    expect(enter.entersAccept).toBe(false);
    // A trigger character typed in a list that opened by itself makes a new list it opened.
    enter.triggerCharacter();
    expect(enter.entersAccept).toBe(true);
  });

  it('follows Monaco\'s suggest model, and without it leaves Enter a newline', () => {
    const suggest = fakeSuggestModel();
    const { enter } = rule();
    const following = followSuggestSessions({ getContribution: () => ({ model: suggest }) }, enter);
    suggest.trigger(false);
    expect(enter.entersAccept).toBe(true);
    following.dispose();
    suggest.cancel(false);
    expect(enter.entersAccept).toBe(true); // no longer listening

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const other = rule();
    followSuggestSessions({ getContribution: () => null }, other.enter).dispose();
    expect(other.enter.entersAccept).toBe(false);
    expect(warn).toHaveBeenCalled();
  });
});
