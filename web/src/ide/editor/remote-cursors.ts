// Other people's cursors and selections in the editor: a translucent decoration in their
// colour for each selection, and a content widget for each cursor (a caret bar with their
// name) that tests find as `remote-cursor`.
import type { DocumentPeer } from '../shared-text/documents';
import { h } from '../../dom';
import { colorClass, safeColor } from './peer-colors';
import type { Monaco } from './monaco';
import type * as monacoApi from 'monaco-editor/editor/editor.api';

type Editor = monacoApi.editor.IStandaloneCodeEditor;
type Model = monacoApi.editor.ITextModel;

class CursorWidget implements monacoApi.editor.IContentWidget {
  readonly node: HTMLElement;
  private readonly label: HTMLElement;
  position: monacoApi.IPosition = { lineNumber: 1, column: 1 };

  constructor(private readonly monaco: Monaco, private readonly id: string, username: string, color: string) {
    this.label = h('span', { class: 'remote-cursor-label' }, username);
    this.node = h('div', { class: 'remote-cursor', 'data-testid': 'remote-cursor', 'data-user': username, title: username }, this.label);
    this.node.style.setProperty('--peer-color', safeColor(color));
  }

  /** Shows the name again for a moment (it fades so that it does not cover text for long). */
  moved(): void {
    this.node.classList.remove('remote-cursor-moved');
    void this.node.offsetWidth; // restarts the fade animation
    this.node.classList.add('remote-cursor-moved');
  }

  getId(): string {
    return `remote-cursor.${this.id}`;
  }

  getDomNode(): HTMLElement {
    return this.node;
  }

  getPosition(): monacoApi.editor.IContentWidgetPosition {
    return { position: this.position, preference: [this.monaco.editor.ContentWidgetPositionPreference.EXACT] };
  }
}

export class RemoteCursors {
  private readonly widgets = new Map<string, CursorWidget>();
  private readonly decorations: monacoApi.editor.IEditorDecorationsCollection;

  constructor(private readonly monaco: Monaco, private readonly editor: Editor) {
    this.decorations = editor.createDecorationsCollection();
  }

  /** Shows `peers` (their selections in `model`'s text); null clears. */
  render(model: Model | null, peers: Iterable<DocumentPeer>): void {
    const seen = new Set<string>();
    const decorations: monacoApi.editor.IModelDeltaDecoration[] = [];
    if (model) {
      const length = model.getValueLength();
      for (const peer of peers) {
        const primary = peer.local[0];
        if (!primary) continue;
        seen.add(peer.clientId);
        const css = colorClass(peer.color);
        for (const s of peer.local) {
          if (s.anchor === s.head) continue;
          const start = model.getPositionAt(Math.min(Math.max(Math.min(s.anchor, s.head), 0), length));
          const end = model.getPositionAt(Math.min(Math.max(s.anchor, s.head), length));
          decorations.push({
            range: this.monaco.Range.fromPositions(start, end),
            options: { className: `remote-selection ${css}`, hoverMessage: { value: peer.username }, stickiness: 1 },
          });
        }
        const position = model.getPositionAt(Math.min(Math.max(primary.head, 0), length));
        let widget = this.widgets.get(peer.clientId);
        const added = !widget;
        widget ??= new CursorWidget(this.monaco, peer.clientId, peer.username, peer.color);
        if (added || widget.position.lineNumber !== position.lineNumber || widget.position.column !== position.column) widget.moved();
        widget.position = position;
        // On the first line the name goes below the caret: above it would be cut off.
        widget.node.classList.toggle('remote-cursor-first-line', position.lineNumber === 1);
        if (added) {
          this.widgets.set(peer.clientId, widget);
          this.editor.addContentWidget(widget);
        } else {
          this.editor.layoutContentWidget(widget);
        }
      }
    }
    for (const [clientId, widget] of this.widgets) {
      if (seen.has(clientId)) continue;
      this.editor.removeContentWidget(widget);
      this.widgets.delete(clientId);
    }
    this.decorations.set(decorations);
  }

  dispose(): void {
    this.render(null, []);
    this.decorations.clear();
  }
}
