// Stand-in editing core until the Monaco one lands: a plain textarea per file, read with GET and
// written back with PUT on flush. Not collaborative. Replaced wholesale by the real editor.
import { FilesApi } from '../../api';
import { h } from '../../dom';
import type { Diagnostic, DocumentClosed, EditorArea, EditorAreaOptions } from '../editor-area';

export async function createEditorArea(options: EditorAreaOptions): Promise<EditorArea> {
  const files = new FilesApi(options.api.client, options.workspaceId);
  const texts = new Map<string, string>();
  const changed = new Set<(path: string, local: boolean) => void>();
  const runRequested = new Set<() => void>();
  let active: string | null = null;
  const area = h('textarea', { class: 'plain-editor', style: 'width: 100%; height: 60vh', spellcheck: false, readonly: options.readOnly });
  area.addEventListener('input', () => {
    if (active === null) return;
    texts.set(active, area.value);
    for (const listener of changed) listener(active, true);
  });
  area.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      for (const listener of runRequested) listener();
    }
  });
  options.editorHost.replaceChildren(area);
  options.statusHost.dataset.state = 'online';
  options.statusHost.textContent = 'online';
  (window as unknown as { webide: unknown }).webide = { getText: (path: string) => texts.get(path) };

  return {
    async open(path) {
      if (!texts.has(path)) texts.set(path, (await files.readFile(path)).text());
      active = path;
      area.value = texts.get(path) ?? '';
    },
    close(path) {
      texts.delete(path);
      if (active === path) {
        active = null;
        area.value = '';
      }
    },
    activePath: () => active,
    getText: (path) => texts.get(path),
    setDiagnostics(_path: string, _diagnostics: readonly Diagnostic[]) {},
    async flushToFiles() {
      if (options.readOnly) return;
      for (const [path, text] of texts) await files.writeFile(path, text);
    },
    onDidChangeText(listener) {
      changed.add(listener);
      return () => changed.delete(listener);
    },
    onDidCloseDocument(_listener: (closed: DocumentClosed) => void) {
      return () => {};
    },
    onRunRequested(listener) {
      runRequested.add(listener);
      return () => runRequested.delete(listener);
    },
    connectionState: () => 'online',
    dispose() {
      options.editorHost.replaceChildren();
    },
  };
}
