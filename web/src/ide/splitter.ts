// A drag handle between two panes (the side bar and the editor, the editor and the output). The
// size lives in a CSS custom property on the layout, so the panes themselves stay plain CSS; it is
// remembered per browser. Arrow keys move it too, so it is usable without a mouse.
import { h } from '../dom';

export interface SplitterOptions {
  /** The element carrying the custom property. */
  target: HTMLElement;
  property: string;
  /** 'x': a vertical bar resizing a width; 'y': a horizontal bar resizing a height. */
  axis: 'x' | 'y';
  initial: number;
  min: number;
  max: () => number;
  /** The pane grows when the pointer moves right/down (1) or left/up (-1). */
  direction: 1 | -1;
  storageKey: string;
  label: string;
  onResize?(): void;
}

export function createSplitter(options: SplitterOptions): HTMLElement {
  let size = clamp(Number(localStorage.getItem(options.storageKey)) || options.initial);

  function clamp(n: number): number {
    return Math.round(Math.max(options.min, Math.min(options.max(), n)));
  }

  function apply(): void {
    options.target.style.setProperty(options.property, `${size}px`);
    bar.setAttribute('aria-valuenow', String(size));
    options.onResize?.();
  }

  function set(next: number): void {
    size = clamp(next);
    apply();
    try {
      localStorage.setItem(options.storageKey, String(size));
    } catch {
      /* private mode: not remembered */
    }
  }

  const bar: HTMLElement = h('div', {
    class: `splitter splitter-${options.axis}`, role: 'separator', tabindex: 0,
    'aria-orientation': options.axis === 'x' ? 'vertical' : 'horizontal', 'aria-label': options.label,
    'aria-valuemin': options.min,
    onpointerdown: (e: PointerEvent) => {
      e.preventDefault();
      bar.setPointerCapture?.(e.pointerId);
      const start = options.axis === 'x' ? e.clientX : e.clientY;
      const from = size;
      bar.classList.add('dragging');
      const move = (ev: PointerEvent) => {
        const now = options.axis === 'x' ? ev.clientX : ev.clientY;
        set(from + (now - start) * options.direction);
      };
      const up = () => {
        bar.classList.remove('dragging');
        bar.removeEventListener('pointermove', move);
        bar.removeEventListener('pointerup', up);
        bar.removeEventListener('pointercancel', up);
      };
      bar.addEventListener('pointermove', move);
      bar.addEventListener('pointerup', up);
      bar.addEventListener('pointercancel', up);
    },
    onkeydown: (e: KeyboardEvent) => {
      const grow: Record<string, number> = options.axis === 'x' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
      const step = grow[e.key];
      if (step === undefined) return;
      e.preventDefault();
      set(size + step * options.direction * (e.shiftKey ? 50 : 10));
    },
  });
  apply();
  return bar;
}
