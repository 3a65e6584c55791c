// When Enter takes a suggestion. A list the person asked for (Ctrl+Space) or that a trigger
// character opened (`os.`) is there to be chosen from: Enter accepts, as in any IDE. A list that
// opened by itself while a word was being typed is a guess: Enter is a newline there, as if the
// list were not shown, so typing text line by line never picks something by accident. Tab accepts
// either way.
//
// Monaco says per editor whether Enter accepts (the option acceptSuggestionOnEnter, which its own
// Enter binding reads through a context key); this rule switches it per suggestion session. A
// session starts when the suggest model triggers with no session going; a retrigger (the list asked
// again as the word grows or an incomplete list refills) continues it, unless a trigger character
// or the person asks anew.

export interface Disposable {
  dispose(): void;
}

/** The suggest model's events (Monaco's SuggestController.model; not in its public API). */
export interface SuggestSessionEvents {
  onDidTrigger(listener: (event: { auto: boolean }) => void): Disposable;
  onDidCancel(listener: (event: { retrigger: boolean }) => void): Disposable;
}

export class EnterRule {
  private accepts: boolean | null = null;
  private continuing = false;

  /** `apply(true)`: Enter accepts the focused suggestion; false: Enter is a newline. */
  constructor(private readonly apply: (accepts: boolean) => void) {
    this.set(false);
  }

  /** The list is asked for: by the person (`auto` false), or while typing. */
  triggered(auto: boolean): void {
    if (!auto) this.set(true);
    else if (!this.continuing) this.set(false);
    this.continuing = false;
  }

  /** The list went; with `retrigger`, only to be asked again at once (the session goes on). */
  cancelled(retrigger: boolean): void {
    this.continuing = retrigger;
    if (!retrigger) this.set(false);
  }

  /** The completion provider was asked because a trigger character was typed. */
  triggerCharacter(): void {
    this.set(true);
  }

  get entersAccept(): boolean {
    return this.accepts === true;
  }

  private set(accepts: boolean): void {
    if (this.accepts === accepts) return;
    this.accepts = accepts;
    this.apply(accepts);
  }
}

/** The part of an editor the rule needs. */
export interface SuggestingEditor {
  getContribution(id: string): unknown;
}

/**
 * Follows the editor's suggestion sessions. Without Monaco's suggest model (another Monaco, where
 * the internals moved) Enter never accepts, which costs a Tab but never a newline.
 */
export function followSuggestSessions(editor: SuggestingEditor, rule: EnterRule): Disposable {
  const controller = editor.getContribution('editor.contrib.suggestController') as { model?: Partial<SuggestSessionEvents> } | null;
  const model = controller?.model;
  if (typeof model?.onDidTrigger !== 'function' || typeof model.onDidCancel !== 'function') {
    console.warn('lsp: the suggest model is not where it was; Enter will not accept suggestions (Tab does)');
    return { dispose() {} };
  }
  const subscriptions = [
    model.onDidTrigger((event) => rule.triggered(event.auto)),
    model.onDidCancel((event) => rule.cancelled(event.retrigger)),
  ];
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
