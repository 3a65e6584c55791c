// LSP's answers as Monaco's shapes (with Monaco's own enum values), and Monaco's changes as LSP's.
import { describe, expect, it } from 'vitest';
import {
  applyResolved,
  toCompletionItem,
  toCompletionList,
  toContentChanges,
  toHover,
  toLocations,
  toMarker,
  toSignatureHelp,
  type MonacoEnums,
} from '../src/ide/editor/lsp/conversions';
import type { TextDocumentContentChangeEvent } from '../src/ide/editor/lsp/protocol';
import { FakeModel, FakeUri, fakeMonaco } from './lsp-fakes';

const enums = fakeMonaco().monaco as unknown as MonacoEnums;
const kinds = fakeMonaco().monaco.languages.CompletionItemKind;
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const monacoRange = (startLineNumber: number, startColumn: number, endLineNumber: number, endColumn: number) => ({ startLineNumber, startColumn, endLineNumber, endColumn });
const defaults = { insert: monacoRange(2, 4, 2, 6), replace: monacoRange(2, 4, 2, 8) };

describe('completion items', () => {
  it('maps LSP kinds to Monaco\'s (numbered differently), unknown ones as properties', () => {
    const kind = (k?: number) => toCompletionItem({ label: 'x', ...(k === undefined ? {} : { kind: k }) }, defaults, enums).kind;
    expect(kind(2)).toBe(kinds.Method);
    expect(kind(3)).toBe(kinds.Function);
    expect(kind(6)).toBe(kinds.Variable);
    expect(kind(9)).toBe(kinds.Module);
    expect(kind(14)).toBe(kinds.Keyword);
    expect(kind(15)).toBe(kinds.Snippet);
    expect(kind(1)).toBe(kinds.Text);
    expect(kind(25)).toBe(kinds.TypeParameter);
    expect(kind(undefined)).toBe(kinds.Property);
    expect(kind(99)).toBe(kinds.Property);
  });

  it('inserts the label at the word by default, keeps filterText and sortText', () => {
    expect(toCompletionItem({ label: 'path', kind: 9, sortText: '09', filterText: 'path', detail: 'module' }, defaults, enums)).toEqual({
      label: 'path', kind: kinds.Module, insertText: 'path', insertTextRules: 0, range: defaults, sortText: '09', filterText: 'path', detail: 'module',
    });
    expect(toCompletionItem({ label: 'join', insertText: 'join()' }, defaults, enums).insertText).toBe('join()');
  });

  it('inserts a snippet (insertTextFormat 2) as a snippet, and keeps whitespace as it is when asked', () => {
    const snippet = toCompletionItem({ label: 'for', insertText: 'for ${1:x} in ${2:xs}:\n\t$0', insertTextFormat: 2, kind: 15 }, defaults, enums);
    expect(snippet.insertText).toBe('for ${1:x} in ${2:xs}:\n\t$0');
    expect(snippet.insertTextRules).toBe(enums.languages.CompletionItemInsertTextRule.InsertAsSnippet);
    const asIs = toCompletionItem({ label: 'x', insertTextFormat: 2, insertTextMode: 1 }, defaults, enums);
    expect(asIs.insertTextRules).toBe(4 | 1);
  });

  it('uses a textEdit\'s range and text, and an insert/replace edit\'s two ranges', () => {
    const edited = toCompletionItem({ label: 'getcwd', textEdit: { range: range(1, 3, 1, 5), newText: 'getcwd()' } }, defaults, enums);
    expect(edited.insertText).toBe('getcwd()');
    expect(edited.range).toEqual(monacoRange(2, 4, 2, 6));
    const both = toCompletionItem({ label: 'a', textEdit: { newText: 'abc', insert: range(0, 0, 0, 1), replace: range(0, 0, 0, 3) } }, defaults, enums);
    expect(both.range).toEqual({ insert: monacoRange(1, 1, 1, 2), replace: monacoRange(1, 1, 1, 4) });
  });

  it('applies a list\'s item defaults (edit range, insert format) to items without their own', () => {
    const { items, incomplete } = toCompletionList({
      isIncomplete: true,
      itemDefaults: { editRange: range(0, 3, 0, 5), insertTextFormat: 2 },
      items: [{ label: 'path', textEditText: 'path$0' }, { label: 'sep', insertTextFormat: 1 }],
    }, defaults, enums);
    expect(incomplete).toBe(true);
    expect(items.map((i) => [i.monaco.insertText, i.monaco.range, i.monaco.insertTextRules])).toEqual([
      ['path$0', monacoRange(1, 4, 1, 6), 4],
      ['sep', monacoRange(1, 4, 1, 6), 0],
    ]);
    expect(items[0]!.lsp).toEqual({ label: 'path', textEditText: 'path$0' });
  });

  it('shows label details, deprecation, markdown documentation, additional edits; only the editor\'s own commands', () => {
    const item = toCompletionItem({
      label: 'listdir', labelDetails: { detail: '(path)', description: 'os' }, tags: [1], preselect: true,
      documentation: { kind: 'markdown', value: '**List** a directory' },
      additionalTextEdits: [{ range: range(0, 0, 0, 0), newText: 'import os\n' }],
      command: { title: 'hints', command: 'editor.action.triggerParameterHints' },
    }, defaults, enums);
    expect(item.label).toEqual({ label: 'listdir', detail: '(path)', description: 'os' });
    expect(item.tags).toEqual([1]);
    expect(item.preselect).toBe(true);
    expect(item.documentation).toEqual({ value: '**List** a directory', isTrusted: false, supportHtml: false });
    expect(item.additionalTextEdits).toEqual([{ range: monacoRange(1, 1, 1, 1), text: 'import os\n' }]);
    expect(item.command).toEqual({ id: 'editor.action.triggerParameterHints', title: 'hints' });
    expect(toCompletionItem({ label: 'x', command: { title: 'run', command: 'pyright.organizeImports' } }, defaults, enums).command).toBeUndefined();
    expect(toCompletionItem({ label: 'x', deprecated: true, commitCharacters: ['.'] }, defaults, enums)).not.toHaveProperty('commitCharacters');
  });

  it('takes a plain array as a complete list, and no answer as an empty one', () => {
    expect(toCompletionList([{ label: 'a' }], defaults, enums).incomplete).toBe(false);
    expect(toCompletionList(null, defaults, enums)).toEqual({ items: [], incomplete: false });
  });

  it('adds what resolve tells (documentation, detail) without overwriting what the item had', () => {
    const shown = toCompletionItem({ label: 'path', detail: 'module' }, defaults, enums);
    applyResolved(shown, { label: 'path', detail: 'other', documentation: 'Common pathname manipulations.' });
    expect(shown.detail).toBe('module');
    expect(shown.documentation).toBe('Common pathname manipulations.');
  });
});

describe('hover, signature help, definitions and diagnostics', () => {
  it('renders hovers as untrusted markdown: markdown as is, plain text escaped, marked strings as code', () => {
    expect(toHover({ contents: { kind: 'markdown', value: '```python\ndef f(x: int) -> str\n```' }, range: range(0, 4, 0, 5) })).toEqual({
      contents: [{ value: '```python\ndef f(x: int) -> str\n```', isTrusted: false, supportHtml: false }],
      range: monacoRange(1, 5, 1, 6),
    });
    expect(toHover({ contents: { kind: 'plaintext', value: 'a*b_c' } })!.contents[0]!.value).toBe('a\\*b\\_c');
    expect(toHover({ contents: [{ language: 'c', value: 'int main(void)' }, 'the entry point', ''] })!.contents.map((c) => c.value)).toEqual([
      '```c\nint main(void)\n```', 'the entry point',
    ]);
    expect(toHover({ contents: '' })).toBeNull();
    expect(toHover(null)).toBeNull();
  });

  it('maps signature help with parameter offsets and the active ones', () => {
    expect(toSignatureHelp({
      signatures: [{ label: 'join(a, *p)', documentation: { kind: 'markdown', value: 'Join' }, parameters: [{ label: [5, 6] }, { label: '*p', documentation: 'parts' }] }],
      activeParameter: 1,
    })).toEqual({
      signatures: [{
        label: 'join(a, *p)', documentation: { value: 'Join', isTrusted: false, supportHtml: false },
        parameters: [{ label: [5, 6] }, { label: '*p', documentation: 'parts' }],
      }],
      activeSignature: 0,
      activeParameter: 1,
    });
    expect(toSignatureHelp({ signatures: [] })).toBeNull();
  });

  it('turns definitions into the editor\'s URIs and leaves out targets outside the workspace', () => {
    const modelUri = (path: string) => new FakeUri('webide', 'ws1', `/${path}`) as never;
    expect(toLocations({ uri: 'file:///workspace/lib/util.py', range: range(3, 4, 3, 8) }, modelUri)).toEqual([
      { uri: new FakeUri('webide', 'ws1', '/lib/util.py'), range: monacoRange(4, 5, 4, 9) },
    ]);
    expect(toLocations([
      { targetUri: 'file:///usr/lib/python3.11/os.py', targetRange: range(0, 0, 9, 0), targetSelectionRange: range(0, 0, 0, 2) },
      { targetUri: 'file:///workspace/my%20lib.py', targetRange: range(1, 0, 4, 0), targetSelectionRange: range(1, 4, 1, 9), originSelectionRange: range(7, 0, 7, 5) },
    ], modelUri)).toEqual([{
      uri: new FakeUri('webide', 'ws1', '/my lib.py'),
      range: monacoRange(2, 1, 5, 1),
      targetSelectionRange: monacoRange(2, 5, 2, 10),
      originSelectionRange: monacoRange(8, 1, 8, 6),
    }]);
    expect(toLocations(null, modelUri)).toEqual([]);
  });

  it('turns diagnostics into markers: severities, tags, code, and an empty range widened to a character', () => {
    const { MarkerSeverity, MarkerTag } = enums;
    expect(toMarker({ range: range(2, 4, 2, 4), message: 'expected \';\'', source: 'clang', code: 'expected_semi_after_expr' }, enums)).toEqual({
      startLineNumber: 3, startColumn: 5, endLineNumber: 3, endColumn: 6,
      severity: MarkerSeverity.Error, message: 'expected \';\'', source: 'clang', code: 'expected_semi_after_expr',
    });
    const severities = [1, 2, 3, 4].map((severity) => toMarker({ range: range(0, 0, 0, 1), message: 'm', severity }, enums).severity);
    expect(severities).toEqual([MarkerSeverity.Error, MarkerSeverity.Warning, MarkerSeverity.Info, MarkerSeverity.Hint]);
    expect(toMarker({ range: range(0, 0, 1, 0), message: 'unused', tags: [1, 2], code: 7 }, enums)).toMatchObject({
      endLineNumber: 2, endColumn: 1, tags: [MarkerTag.Unnecessary, MarkerTag.Deprecated], code: '7',
    });
  });
});

describe('content changes', () => {
  /** Applies LSP content changes one after the other, as a server does. */
  function applyLsp(text: string, changes: TextDocumentContentChangeEvent[]): string {
    for (const change of changes) {
      if (!('range' in change)) {
        text = change.text;
        continue;
      }
      const lines = text.split('\n');
      const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      text = text.slice(0, offset(change.range.start)) + change.text + text.slice(offset(change.range.end));
    }
    return text;
  }

  it('gives ranges a server can apply one after the other, for an event with several changes', () => {
    const model = new FakeModel('a.py', 'import os\nos.pa\nprint(1)\n');
    const before = model.getValue();
    let sent: TextDocumentContentChangeEvent[] = [];
    model.onDidChangeContent((event) => (sent = toContentChanges(event, () => model.getValue())));
    // A multi-cursor edit: one event, changes from the last in the text to the first.
    model.edit([1, 1, 1, 1, '# '], [2, 4, 2, 6, 'path'], [3, 7, 3, 8, '2'], [3, 9, 4, 1, ')\nx\n']);
    expect(sent).toHaveLength(4);
    expect(sent[0]).toEqual({ range: range(2, 8, 3, 0), rangeLength: 1, text: ')\nx\n' });
    expect(applyLsp(before, sent)).toBe(model.getValue());
  });

  it('sends the whole text for a flush', () => {
    expect(toContentChanges({ changes: [], isFlush: true }, () => 'all')).toEqual([{ text: 'all' }]);
  });
});
