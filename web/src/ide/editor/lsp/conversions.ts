// LSP's answers as Monaco's shapes, and Monaco's positions as LSP's. Pure: Monaco's enums come in
// from the caller (the chunk never loads Monaco itself, and the tests pass their own). LSP is 0-based,
// Monaco 1-based; both count characters in UTF-16 code units, so a column is a character plus one.
import type { IMarkdownString, IPosition, IRange, Uri, editor, languages } from 'monaco-editor/editor/editor.api';
import type { Monaco } from '../monaco';
import {
  CompletionItemTag,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  InsertTextMode,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Location,
  type LocationLink,
  type MarkedString,
  type MarkupContent,
  type Position,
  type Range,
  type SignatureHelp,
  type TextDocumentContentChangeEvent,
  type TextEdit,
} from './protocol';
import { workspacePathOf } from './uris';

/** The enums of Monaco's API the conversions need. */
export interface MonacoEnums {
  languages: Pick<Monaco['languages'], 'CompletionItemKind' | 'CompletionItemInsertTextRule' | 'CompletionItemTag'>;
  MarkerSeverity: Monaco['MarkerSeverity'];
  MarkerTag: Monaco['MarkerTag'];
}

export function toLspPosition(position: IPosition): Position {
  return { line: position.lineNumber - 1, character: position.column - 1 };
}

export function toMonacoRange(range: Range): IRange {
  return {
    startLineNumber: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLineNumber: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/**
 * One Monaco content event as a didChange's changes. Monaco lists an event's changes in the order
 * it applied them (descending offsets), each range in the text before the event; applied one after
 * the other, as LSP applies them, they give the same text (a change never moves the ones before it).
 */
export function toContentChanges(event: Pick<editor.IModelContentChangedEvent, 'changes' | 'isFlush'>, text: () => string): TextDocumentContentChangeEvent[] {
  if (event.isFlush) return [{ text: text() }];
  return event.changes.map((change) => ({
    range: {
      start: { line: change.range.startLineNumber - 1, character: change.range.startColumn - 1 },
      end: { line: change.range.endLineNumber - 1, character: change.range.endColumn - 1 },
    },
    rangeLength: change.rangeLength,
    text: change.text,
  }));
}

// ------------------------------------------------------------------ text

/** Plain text as markdown that shows it as it is. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\n/g, '  \n');
}

/** Server text is not trusted: no command links, no HTML. */
function markdown(value: string): IMarkdownString {
  return { value, isTrusted: false, supportHtml: false };
}

/** A documentation field: plain text stays a string, markdown becomes Monaco's markdown. */
export function toDocumentation(value: string | MarkupContent | undefined): string | IMarkdownString | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return value.kind === 'markdown' ? markdown(value.value) : value.value;
}

function markedString(value: MarkedString): string {
  if (typeof value === 'string') return value;
  return `\`\`\`${value.language}\n${value.value}\n\`\`\``;
}

export function toHover(hover: Hover | null | undefined): languages.Hover | null {
  if (!hover || hover.contents === undefined || hover.contents === null) return null;
  const { contents } = hover;
  let values: string[];
  if (Array.isArray(contents)) values = contents.map(markedString);
  else if (typeof contents === 'object' && 'kind' in contents) values = [contents.kind === 'markdown' ? contents.value : escapeMarkdown(contents.value)];
  else values = [markedString(contents)];
  values = values.filter((v) => v.trim() !== '');
  if (values.length === 0) return null;
  return { contents: values.map(markdown), ...(hover.range ? { range: toMonacoRange(hover.range) } : {}) };
}

// ------------------------------------------------------------------ completion

/** LSP's CompletionItemKind (1-based) by Monaco's names: Monaco numbers them differently. */
const KIND_NAMES = [
  'Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module', 'Property',
  'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder', 'EnumMember',
  'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter',
] as const;

export function toCompletionKind(kind: number | undefined, enums: MonacoEnums): languages.CompletionItemKind {
  const name = kind === undefined ? undefined : KIND_NAMES[kind - 1];
  // What VS Code shows an item of no (or an unknown) kind as.
  return enums.languages.CompletionItemKind[name ?? 'Property'];
}

function toTextEdits(edits: TextEdit[] | undefined): editor.ISingleEditOperation[] | undefined {
  return edits?.map((edit) => ({ range: toMonacoRange(edit.range), text: edit.newText }));
}

/** Where an item goes when it says nothing itself: Monaco's own default, the word at the cursor. */
export interface DefaultRanges {
  insert: IRange;
  replace: IRange;
}

function toRanges(range: Range | { insert: Range; replace: Range }): IRange | languages.CompletionItemRanges {
  return 'insert' in range ? { insert: toMonacoRange(range.insert), replace: toMonacoRange(range.replace) } : toMonacoRange(range);
}

export function toCompletionItem(
  item: CompletionItem,
  defaults: DefaultRanges,
  enums: MonacoEnums,
  listDefaults?: CompletionList['itemDefaults'],
): languages.CompletionItem {
  const rules = enums.languages.CompletionItemInsertTextRule;
  let insertText: string;
  let range: IRange | languages.CompletionItemRanges;
  if (item.textEdit) {
    insertText = item.textEdit.newText;
    range = 'range' in item.textEdit ? toMonacoRange(item.textEdit.range) : toRanges(item.textEdit);
  } else if (listDefaults?.editRange) {
    insertText = item.textEditText ?? item.insertText ?? item.label;
    range = toRanges(listDefaults.editRange);
  } else {
    insertText = item.insertText ?? item.label;
    range = defaults;
  }
  const format = item.insertTextFormat ?? listDefaults?.insertTextFormat;
  const mode = item.insertTextMode ?? listDefaults?.insertTextMode;
  let insertTextRules = format === InsertTextFormat.Snippet ? rules.InsertAsSnippet : rules.None;
  if (mode === InsertTextMode.AsIs) insertTextRules |= rules.KeepWhitespace;

  const deprecated = item.deprecated === true || item.tags?.includes(CompletionItemTag.Deprecated) === true;
  const result: languages.CompletionItem = {
    label: item.labelDetails ? { label: item.label, ...item.labelDetails } : item.label,
    kind: toCompletionKind(item.kind, enums),
    insertText,
    insertTextRules,
    range,
  };
  if (deprecated) result.tags = [enums.languages.CompletionItemTag.Deprecated];
  if (item.detail) result.detail = item.detail;
  const documentation = toDocumentation(item.documentation);
  if (documentation !== undefined) result.documentation = documentation;
  if (item.sortText !== undefined) result.sortText = item.sortText;
  if (item.filterText !== undefined) result.filterText = item.filterText;
  if (item.preselect) result.preselect = true;
  const additional = toTextEdits(item.additionalTextEdits);
  if (additional) result.additionalTextEdits = additional;
  // Only the editor's own commands can run here (re-open the hints after a call's parenthesis).
  if (item.command && /^editor\.action\.trigger(ParameterHints|Suggest)$/.test(item.command.command)) {
    result.command = { id: item.command.command, title: item.command.title };
  }
  // commitCharacters are left out on purpose: a list that opened by itself must not take a keystroke.
  return result;
}

export function toCompletionList(
  result: CompletionItem[] | CompletionList | null | undefined,
  defaults: DefaultRanges,
  enums: MonacoEnums,
): { items: Array<{ lsp: CompletionItem; monaco: languages.CompletionItem }>; incomplete: boolean } {
  if (!result) return { items: [], incomplete: false };
  const list = Array.isArray(result) ? { isIncomplete: false, items: result } : result;
  const items = (list.items ?? []).map((lsp) => ({ lsp, monaco: toCompletionItem(lsp, defaults, enums, list.itemDefaults) }));
  return { items, incomplete: list.isIncomplete === true };
}

/** What a completionItem/resolve answer adds to an item already shown. */
export function applyResolved(target: languages.CompletionItem, resolved: CompletionItem): void {
  if (resolved.detail && !target.detail) target.detail = resolved.detail;
  const documentation = toDocumentation(resolved.documentation);
  if (documentation !== undefined && target.documentation === undefined) target.documentation = documentation;
  const additional = toTextEdits(resolved.additionalTextEdits);
  if (additional && !target.additionalTextEdits) target.additionalTextEdits = additional;
}

// ------------------------------------------------------------------ signature help

export function toSignatureHelp(help: SignatureHelp | null | undefined): languages.SignatureHelp | null {
  if (!help || !Array.isArray(help.signatures) || help.signatures.length === 0) return null;
  return {
    signatures: help.signatures.map((signature) => {
      const documentation = toDocumentation(signature.documentation);
      return {
        label: signature.label,
        ...(documentation === undefined ? {} : { documentation }),
        parameters: (signature.parameters ?? []).map((parameter) => {
          const doc = toDocumentation(parameter.documentation);
          return { label: parameter.label, ...(doc === undefined ? {} : { documentation: doc }) };
        }),
        ...(signature.activeParameter === undefined ? {} : { activeParameter: signature.activeParameter }),
      };
    }),
    activeSignature: help.activeSignature ?? 0,
    activeParameter: help.activeParameter ?? 0,
  };
}

// ------------------------------------------------------------------ locations

/**
 * A definition answer as Monaco locations on the editor's own URIs. Targets outside the workspace
 * (the toolchain's headers and libraries, which the relay leaves out too) are dropped: there is
 * nothing to open them in.
 */
export function toLocations(
  result: Location | Location[] | LocationLink[] | null | undefined,
  modelUri: (path: string) => Uri,
): languages.Location[] | languages.LocationLink[] {
  if (!result) return [];
  const all = Array.isArray(result) ? result : [result];
  const links: languages.LocationLink[] = [];
  for (const location of all as Array<Location | LocationLink>) {
    if ('targetUri' in location) {
      const path = workspacePathOf(location.targetUri);
      if (path === null) continue;
      links.push({
        uri: modelUri(path),
        range: toMonacoRange(location.targetRange),
        targetSelectionRange: toMonacoRange(location.targetSelectionRange ?? location.targetRange),
        ...(location.originSelectionRange ? { originSelectionRange: toMonacoRange(location.originSelectionRange) } : {}),
      });
    } else if (location && typeof location.uri === 'string') {
      const path = workspacePathOf(location.uri);
      if (path !== null) links.push({ uri: modelUri(path), range: toMonacoRange(location.range) });
    }
  }
  return links;
}

// ------------------------------------------------------------------ diagnostics

export function toMarker(diagnostic: Diagnostic, enums: MonacoEnums): editor.IMarkerData {
  const { startLineNumber, startColumn, endLineNumber, endColumn } = toMonacoRange(diagnostic.range);
  // An empty range would not show: mark at least the character at the position.
  const range = {
    startLineNumber, startColumn, endLineNumber,
    endColumn: endLineNumber === startLineNumber && endColumn <= startColumn ? startColumn + 1 : endColumn,
  };
  const severity = {
    [DiagnosticSeverity.Error]: enums.MarkerSeverity.Error,
    [DiagnosticSeverity.Warning]: enums.MarkerSeverity.Warning,
    [DiagnosticSeverity.Information]: enums.MarkerSeverity.Info,
    [DiagnosticSeverity.Hint]: enums.MarkerSeverity.Hint,
  }[diagnostic.severity ?? DiagnosticSeverity.Error] ?? enums.MarkerSeverity.Error;
  const tags = (diagnostic.tags ?? []).flatMap((tag) =>
    tag === DiagnosticTag.Unnecessary ? [enums.MarkerTag.Unnecessary] : tag === DiagnosticTag.Deprecated ? [enums.MarkerTag.Deprecated] : []);
  return {
    ...range,
    severity,
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(diagnostic.code !== undefined && diagnostic.code !== null ? { code: String(diagnostic.code) } : {}),
    ...(tags.length ? { tags } : {}),
  };
}
