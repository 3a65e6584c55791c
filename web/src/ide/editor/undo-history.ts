// Undo and redo of one's own edits in a shared document. Monaco's own undo replays its edits at
// the offsets they had, which other people's edits have moved since; so the editor keeps the
// inverse of each local edit in ot.js's UndoManager, transformed through every remote
// operation, and Ctrl/Cmd+Z applies that instead (as a new local edit everyone receives).
import type TextOperation from 'ot/lib/text-operation';
import UndoManager from 'ot/lib/undo-manager';

/** Typing pauses longer than this start a new undo step. */
const GROUP_MS = 1000;

export class UndoHistory {
  private manager = new UndoManager(500);
  private lastAt = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A local edit `operation` was applied to `before`. */
  local(operation: TextOperation, before: string): void {
    const inverse = operation.invert(before);
    const top = this.manager.undoStack[this.manager.undoStack.length - 1];
    const at = this.now();
    const compose = !this.manager.isUndoing() && !this.manager.isRedoing() && top !== undefined
      && at - this.lastAt < GROUP_MS && inverse.shouldBeComposedWithInverted(top);
    this.lastAt = at;
    this.manager.add(inverse, compose);
  }

  /** Someone else's operation, applied to the local text. */
  remote(operation: TextOperation): void {
    this.manager.transform(operation);
  }

  /**
   * Undoes the last local step: `apply` must apply the operation to the text as a local edit
   * (which comes back through `local` and becomes the redo step). False when there is none.
   */
  undo(apply: (operation: TextOperation) => void): boolean {
    if (!this.manager.canUndo()) return false;
    this.manager.performUndo(apply);
    this.lastAt = 0;
    return true;
  }

  redo(apply: (operation: TextOperation) => void): boolean {
    if (!this.manager.canRedo()) return false;
    this.manager.performRedo(apply);
    this.lastAt = 0;
    return true;
  }

  /** The text was replaced wholesale: nothing before it can be undone. */
  clear(): void {
    this.manager = new UndoManager(500);
  }
}
