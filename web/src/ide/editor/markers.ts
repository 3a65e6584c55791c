// The execution service's `check` diagnostics as Monaco marker data (owner 'check'). Kept free
// of Monaco at run time: the severities come in from the caller.
import type { Diagnostic } from '../editor-area';

export interface MarkerData {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  severity: number;
  message: string;
  source: string;
}

export function toMarker(d: Diagnostic, severities: { error: number; warning: number }): MarkerData {
  const line = Math.max(1, d.line);
  const column = Math.max(1, d.column);
  const endLine = Math.max(d.endLine, line);
  // An empty range would not show: mark at least the character at the position.
  const endColumn = endLine > line || d.endColumn > column ? Math.max(1, d.endColumn) : column + 1;
  return {
    startLineNumber: line,
    startColumn: column,
    endLineNumber: endLine,
    endColumn,
    severity: d.severity === 'error' ? severities.error : severities.warning,
    message: d.message,
    source: 'check',
  };
}
