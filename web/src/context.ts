import type { Api } from './api';

/** What every screen gets from the shell. */
export interface AppContext {
  api: Api;
  navigate(to: string, opts?: { replace?: boolean }): void;
  /** One-shot message for the next screen (e.g. "session expired"). */
  takeFlash(): string | null;
  setTitle(title: string): void;
}

/** A mounted screen. `dispose` runs when the route changes away from it. */
export interface View {
  el: HTMLElement;
  dispose?(): void;
}
