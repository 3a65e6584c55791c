// The seam between the IDE's workbench (file tree, tabs, run panel, share dialog) and its
// editing core (Monaco, collaborative documents, presence). The workbench decides what is
// open; the editing core owns the text. Both sides code against this file only.
import type { Api } from '../api';

/** A diagnostic of the execution service's `check` (1-based lines and columns, UTF-16). */
export interface Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
}

export type ConnectionState = 'online' | 'offline';

/** Why the server closed a collaborative document (the collaboration service's `closed` frame). */
export interface DocumentClosed {
  path: string;
  reason: 'deleted' | 'moved' | 'workspace-deleted' | string;
  /** The new path when it was moved. */
  to?: string;
}

export interface EditorAreaOptions {
  api: Api;
  workspaceId: string;
  /** Viewers follow documents read-only. */
  readOnly: boolean;
  /** Where the editor goes (the workbench's element with `data-testid="editor"`). */
  editorHost: HTMLElement;
  /** Where the list of people in the open document goes (`data-testid="presence"`). */
  presenceHost: HTMLElement;
  /** Where the connection indicator goes (`data-testid="connection-status"`, `data-state`). */
  statusHost: HTMLElement;
  /**
   * The editor's language id for a file (from the platform's languages); undefined leaves it to
   * the editor, which knows a few more formats by their names (Markdown, HTML, …) or shows plain text.
   */
  editorLanguage(path: string): string | undefined;
  /**
   * The platform's language of `path` when it has a language server (docs/api.md §6), else
   * undefined: such files get completion, hover, signature help, definitions and diagnostics.
   */
  serverLanguage(path: string): string | undefined;
  /** Opens `path` in a tab and shows it (go to definition in another file); resolves once shown. */
  openFile(path: string): Promise<void>;
}

export interface EditorArea {
  /** Shows `path` in the editor, joining its collaborative document if it is not joined yet. */
  open(path: string): Promise<void>;
  /** Leaves `path`'s document (its tab was closed). */
  close(path: string): void;
  /** The path shown in the editor, if any. */
  activePath(): string | null;
  /** What the editor holds for `path` (also exposed as `window.webide.getText`). */
  getText(path: string): string | undefined;
  /** Replaces `path`'s error markers (not shown while a language server serves it). */
  setDiagnostics(path: string, diagnostics: readonly Diagnostic[]): void;
  /** A language server has `path` open now: its diagnostics are the file's, a check is not needed. */
  hasLanguageServer(path: string): boolean;
  /** A language server started or stopped serving `path`. Returns an unsubscribe function. */
  onDidChangeLanguageServer(listener: (path: string, serving: boolean) => void): () => void;
  /**
   * Resolves once every edit made so far in the open documents is acknowledged by the server
   * and the files hold it (runs and checks read files, which the collaboration service writes
   * a moment later). Rejects after `timeoutMs`.
   */
  flushToFiles(timeoutMs?: number): Promise<void>;
  /** The text of `path` changed (local or remote). Returns an unsubscribe function. */
  onDidChangeText(listener: (path: string, local: boolean) => void): () => void;
  /** The server closed a document (deleted or moved). Returns an unsubscribe function. */
  onDidCloseDocument(listener: (closed: DocumentClosed) => void): () => void;
  /** Ctrl/Cmd+Enter in the editor. Returns an unsubscribe function. */
  onRunRequested(listener: () => void): () => void;
  connectionState(): ConnectionState;
  dispose(): void;
}
