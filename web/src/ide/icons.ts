// A few line icons for tool buttons, drawn as SVG so they do not depend on which fonts the
// machine has (a glyph like "＋" may be missing and show as a box).
const PATHS: Record<string, string> = {
  'new-file': 'M4 1.5h5l3 3v10H4zM9 1.5v3h3M8 7.5v5M5.5 10h5',
  'new-folder': 'M1.5 3.5h5l1.5 1.5h6.5v8.5h-13zM8 7v5M5.5 9.5h5',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3',
};

export function icon(name: keyof typeof PATHS | string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name] ?? '');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.2');
  path.setAttribute('stroke-linejoin', 'round');
  svg.appendChild(path);
  return svg;
}
