// Error markers while typing: a check after a pause in local edits, and one when a file is shown
// (../check.ts does the scheduling). Markers are a help, not a task: a failed check keeps the old
// ones and says so quietly.
import { errorMessage } from '../../api';
import { CheckScheduler, type CheckFn } from '../check';
import type { CheckedFiles, FlushFiles } from './contracts';

export interface ChecksPartOptions {
  files: CheckedFiles;
  check: CheckFn;
  flush: FlushFiles;
  /** Whether the platform can check `path` (its language has a checker). */
  isCheckable(path: string): boolean;
}

export interface ChecksPart {
  dispose(): void;
}

export function createChecksPart(options: ChecksPartOptions): ChecksPart {
  const { files } = options;
  const checker = new CheckScheduler({
    check: options.check,
    flush: () => options.flush(5000),
    apply: (path, diagnostics) => files.setDiagnostics(path, diagnostics),
    isCheckable: (path) => options.isCheckable(path),
    onError: (path, err) => console.warn(`check of ${path} failed:`, errorMessage(err)),
  });
  const subscriptions = [
    files.onTextChanged((path, local) => checker.textChanged(path, local)),
    files.onShown((path) => void checker.checkNow(path)),
    files.onReleased((path) => checker.forget(path)),
  ];
  return {
    dispose() {
      for (const unsubscribe of subscriptions) unsubscribe();
      checker.dispose();
    },
  };
}
