// A workspace file as the language server knows it: `file:///workspace/<path>` (docs/api.md §6),
// each segment of the path percent-encoded as vscode-uri does (every character but A–Z a–z 0–9
// - . _ ~, as UTF-8), so the URIs match what servers built on vscode-uri send back.

export const WORKSPACE_ROOT_URI = 'file:///workspace';

const ROOT_PREFIX = `${WORKSPACE_ROOT_URI}/`;

function encodeSegment(segment: string): string {
  // encodeURIComponent leaves !'()* as they are; vscode-uri encodes them too.
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `src/a b.py` → `file:///workspace/src/a%20b.py`. */
export function workspaceUri(path: string): string {
  return ROOT_PREFIX + path.split('/').map(encodeSegment).join('/');
}

/**
 * The workspace path a server's URI names, or null when it names nothing inside the workspace
 * (the toolchain's own files, another scheme, a query or fragment). Decoded per segment, so a
 * server's own choice of escapes does not matter.
 */
export function workspacePathOf(uri: string): string | null {
  if (!uri.startsWith(ROOT_PREFIX) || /[?#]/.test(uri)) return null;
  const segments = uri.slice(ROOT_PREFIX.length).split('/');
  try {
    const decoded = segments.map((s) => decodeURIComponent(s));
    if (decoded.some((s) => s === '' || s === '.' || s === '..' || s.includes('/'))) return null;
    return decoded.join('/');
  } catch {
    return null; // a malformed escape
  }
}
