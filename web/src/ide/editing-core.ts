// The editing core as the workbench loads it (import('./editing-core'), a chunk of its own with
// Monaco and ot.js): the editor (./editor) on the collaboration client's documents (./collab).
// The one module that knows both; they meet only through ./shared-text.
import { CollabConnection } from './collab/connection';
import { createEditorArea } from './editor';
import type { EditorArea, EditorAreaOptions } from './editor-area';

export function createEditingCore(options: EditorAreaOptions): Promise<EditorArea> {
  return createEditorArea(options, (documents) => new CollabConnection(documents));
}
