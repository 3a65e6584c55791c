// Short messages in the corner of the IDE; errors stay readable for screen readers (role=alert).
import { h } from '../../dom';
import type { Notify } from './contracts';

const SHOWN_MS = 8000;

export interface ToastsPart {
  readonly el: HTMLElement;
  readonly notify: Notify;
}

export function createToastsPart(): ToastsPart {
  const el = h('div', { class: 'ide-toasts', 'aria-live': 'polite' });
  const notify: Notify = (message, tone = 'info') => {
    const toast = h('div', { class: `toast toast-${tone}`, role: tone === 'error' ? 'alert' : 'status', 'data-testid': 'ide-toast' },
      h('span', null, message),
      h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => toast.remove() }, '×'));
    el.appendChild(toast);
    setTimeout(() => toast.remove(), SHOWN_MS);
  };
  return { el, notify };
}
