// What the workbench's parts know of each other: each part is handed only the narrow
// interface below that it needs, never another part (workbench.ts wires them).
import type { Diagnostic, DocumentClosed } from '../editor-area';

export type Tone = 'info' | 'error';

/** Shows a short message to the person (the toasts part). */
export type Notify = (message: string, tone?: Tone) => void;

/** Removes a listener it was returned for. */
export type Unsubscribe = () => void;

/** Runs `fn` when the operations queued before it are done (flushes and file operations take turns). */
export type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

/** Gets what was typed into the files (in its turn); rejects after `timeoutMs`. */
export type FlushFiles = (timeoutMs: number) => Promise<void>;

/** The file shown in the editor, for the parts that act on it (run). */
export interface ActiveFile {
  readonly active: string | null;
  onActiveChanged(listener: (active: string | null) => void): Unsubscribe;
}

/** The open files as the file tree drives them. */
export interface OpenFiles {
  /** Opens `path` in a tab and shows it. */
  open(path: string): Promise<void>;
  /** An entry moved (by anyone): its tabs follow it. */
  followMove(from: string, to: string): void;
  /** An entry was deleted (by anyone): its tabs close. */
  followDelete(path: string): void;
}

/** The open files as the checks see them. */
export interface CheckedFiles {
  /** `path` is shown in the editor (opened, or its tab activated). */
  onShown(listener: (path: string) => void): Unsubscribe;
  /** `path`'s document was let go (its tab closed, or it moved or was deleted). */
  onReleased(listener: (path: string) => void): Unsubscribe;
  onTextChanged(listener: (path: string, local: boolean) => void): Unsubscribe;
  setDiagnostics(path: string, diagnostics: readonly Diagnostic[]): void;
  /** A language server serves `path` now: its diagnostics replace the check's. */
  hasLanguageServer(path: string): boolean;
  /** A language server started or stopped serving `path`. */
  onLanguageServerChanged(listener: (path: string, serving: boolean) => void): Unsubscribe;
}

/** What the editing core reports that is not about one part alone. */
export interface EditorSignals {
  onDocumentClosed(listener: (closed: DocumentClosed) => void): Unsubscribe;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRunRequested(listener: () => void): Unsubscribe;
}
