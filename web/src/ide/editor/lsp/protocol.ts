// The parts of the Language Server Protocol 3.17 this client speaks (docs/api.md §6), as the
// JSON on the wire has them. Positions are 0-based, characters in UTF-16 code units (LSP's
// default encoding, and Monaco's columns). Only shapes: nothing here runs.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A completion's edit that may insert (up to the cursor) or replace (the whole word). */
export interface InsertReplaceEdit {
  newText: string;
  insert: Range;
  replace: Range;
}

export interface MarkupContent {
  kind: 'plaintext' | 'markdown';
  value: string;
}

/** Deprecated in 3.17 but still sent: markdown text, or a code block of `language`. */
export type MarkedString = string | { language: string; value: string };

export interface Location {
  uri: string;
  range: Range;
}

export interface LocationLink {
  originSelectionRange?: Range;
  targetUri: string;
  targetRange: Range;
  targetSelectionRange: Range;
}

export const TextDocumentSyncKind = { None: 0, Full: 1, Incremental: 2 } as const;

export interface TextDocumentSyncOptions {
  openClose?: boolean;
  change?: number;
}

export interface CompletionOptions {
  triggerCharacters?: string[];
  resolveProvider?: boolean;
}

export interface SignatureHelpOptions {
  triggerCharacters?: string[];
  retriggerCharacters?: string[];
}

export interface ServerCapabilities {
  textDocumentSync?: TextDocumentSyncOptions | number;
  completionProvider?: CompletionOptions;
  hoverProvider?: boolean | object;
  signatureHelpProvider?: SignatureHelpOptions;
  definitionProvider?: boolean | object;
}

export interface InitializeResult {
  capabilities: ServerCapabilities;
  serverInfo?: { name: string; version?: string };
}

/** One change of a didChange: a range replaced, or (no range) the whole text. */
export type TextDocumentContentChangeEvent =
  | { range: Range; rangeLength?: number; text: string }
  | { text: string };

export const CompletionTriggerKind = { Invoked: 1, TriggerCharacter: 2, TriggerForIncompleteCompletions: 3 } as const;

export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;

export const InsertTextMode = { AsIs: 1, AdjustIndentation: 2 } as const;

export const CompletionItemTag = { Deprecated: 1 } as const;

export interface CompletionItem {
  label: string;
  labelDetails?: { detail?: string; description?: string };
  kind?: number;
  tags?: number[];
  detail?: string;
  documentation?: string | MarkupContent;
  deprecated?: boolean;
  preselect?: boolean;
  sortText?: string;
  filterText?: string;
  insertText?: string;
  insertTextFormat?: number;
  insertTextMode?: number;
  textEdit?: TextEdit | InsertReplaceEdit;
  /** With `itemDefaults.editRange`: the text to put there. */
  textEditText?: string;
  additionalTextEdits?: TextEdit[];
  commitCharacters?: string[];
  command?: { title: string; command: string; arguments?: unknown[] };
  /** The relay's handle for completionItem/resolve: sent back untouched. */
  data?: unknown;
}

export interface CompletionList {
  isIncomplete: boolean;
  itemDefaults?: {
    editRange?: Range | { insert: Range; replace: Range };
    insertTextFormat?: number;
    insertTextMode?: number;
  };
  items: CompletionItem[];
}

export interface Hover {
  contents: MarkupContent | MarkedString | MarkedString[];
  range?: Range;
}

export interface ParameterInformation {
  /** The parameter's text, or its [start, end) offsets in the signature's label. */
  label: string | [number, number];
  documentation?: string | MarkupContent;
}

export interface SignatureInformation {
  label: string;
  documentation?: string | MarkupContent;
  parameters?: ParameterInformation[];
  activeParameter?: number;
}

export interface SignatureHelp {
  signatures: SignatureInformation[];
  activeSignature?: number;
  activeParameter?: number;
}

export const SignatureHelpTriggerKind = { Invoked: 1, TriggerCharacter: 2, ContentChange: 3 } as const;

export const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;

export const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 } as const;

export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: number | string;
  source?: string;
  message: string;
  tags?: number[];
}

export interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

/** JSON-RPC 2.0's error object. */
export interface ResponseError {
  code: number;
  message: string;
  data?: unknown;
}
