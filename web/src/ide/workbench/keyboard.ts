// The workbench's own shortcuts outside the editor: Ctrl/Cmd+Enter runs the active file, and
// Ctrl/Cmd+S (edits are saved as they are typed) only keeps the browser's "save page" dialog away.
import type { Unsubscribe } from './contracts';

export interface ShortcutOptions {
  /** Inside the editor the editing core reports Ctrl+Enter itself (EditorSignals.onRunRequested). */
  isInEditor(target: Node): boolean;
  run(): void;
  save(): void;
}

export function listenForShortcuts(target: Document, options: ShortcutOptions): Unsubscribe {
  function onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || !(e.ctrlKey || e.metaKey)) return;
    // Keys typed into a dialog belong to it.
    if ((e.target as Element | null)?.closest?.('.modal-backdrop')) return;
    if (e.key === 'Enter') {
      if (options.isInEditor(e.target as Node)) return;
      e.preventDefault();
      options.run();
    } else if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      options.save();
    }
  }
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
