// A tiny element builder: enough DOM sugar for plain modules, no framework.

export type Child = Node | string | number | null | undefined | false | Child[];
export type AttrValue = string | number | boolean | null | undefined | ((event: never) => void);
export type Attrs = Record<string, AttrValue>;

/**
 * h('button', {class: 'primary', onclick: fn, disabled: true}, 'Save')
 * - `on<event>` function values become event listeners;
 * - `true` sets an empty attribute, `false`/null/undefined leave it out;
 * - children may be nested arrays; null/false are skipped.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (typeof value === 'function') {
        if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
        continue;
      }
      if (value === false || value === null || value === undefined) continue;
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Shows `message` in an alert element, or hides it when message is empty. */
export function setAlert(el: HTMLElement, message: string | null): void {
  el.textContent = message ?? '';
  el.hidden = !message;
}
