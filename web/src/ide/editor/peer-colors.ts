// Per-colour CSS classes for Monaco decorations (which take class names, not styles): one rule
// pair per distinct peer colour, added to a style sheet of this module's own.
const known = new Map<string, string>();
let sheet: HTMLStyleElement | null = null;

/** A safe CSS colour from the server's `color` (a hex string); anything else becomes grey. */
export function safeColor(color: string | undefined): string {
  return color && /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : '#8a8a8a';
}

/** The class suffix of `color`'s rules, creating them on first use. */
export function colorClass(color: string): string {
  const safe = safeColor(color);
  let name = known.get(safe);
  if (name) return name;
  name = `peer-${safe.slice(1).toLowerCase()}`;
  known.set(safe, name);
  if (!sheet) {
    sheet = document.createElement('style');
    sheet.dataset.owner = 'remote-cursors';
    document.head.appendChild(sheet);
  }
  // A translucent fill of the 6-digit form; short forms get a fixed translucent grey-blue.
  const fill = safe.length === 7 ? `${safe}40` : 'rgba(120,140,200,0.25)';
  sheet.textContent += `.remote-selection.${name}{background-color:${fill};}\n`;
  return name;
}

/** Up to two initials of a name, for the presence list. */
export function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length >= 2 ? parts[0]![0]! + parts[1]![0]! : name.slice(0, 2);
  return letters.toUpperCase();
}
