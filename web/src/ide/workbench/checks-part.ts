// Error markers while typing: a check after a pause in local edits, and one when a file is shown
// (../check.ts does the scheduling). Markers are a help, not a task: a failed check keeps the old
// ones and says so quietly. A file a language server serves needs no checks (a check is a sandbox
// run; the server's diagnostics come as the text changes): they stop while it serves, and the file
// shown is checked again when it stops.
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
    isCheckable: (path) => options.isCheckable(path) && !files.hasLanguageServer(path),
    onError: (path, err) => console.warn(`check of ${path} failed:`, errorMessage(err)),
  });
  let shown: string | null = null;
  const subscriptions = [
    files.onTextChanged((path, local) => checker.textChanged(path, local)),
    files.onShown((path) => {
      shown = path;
      void checker.checkNow(path);
    }),
    files.onReleased((path) => {
      if (shown === path) shown = null;
      checker.forget(path);
    }),
    files.onLanguageServerChanged((path, serving) => {
      if (serving) checker.forget(path);
      else if (path === shown) void checker.checkNow(path);
    }),
  ];
  return {
    dispose() {
      for (const unsubscribe of subscriptions) unsubscribe();
      checker.dispose();
    },
  };
}
