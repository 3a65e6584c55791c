// Path arithmetic and the checks worth doing before asking the server (docs/api.md §3 rules), so a
// typo gets a precise message in the dialog instead of a generic 400.

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The last segment of a path: the file's or folder's own name. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The lower-cased extension of a path's name without the dot; '' for none (and for dotfiles). */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/**
 * Cleans what a person typed as a workspace path (surrounding blanks and slashes go) and returns
 * it, or throws an Error that says what is wrong.
 */
export function cleanPath(input: string): string {
  const path = input.trim().replace(/^\/+|\/+$/g, '');
  if (path === '') throw new Error('Enter a name.');
  if (path.includes('\\')) throw new Error('Use “/” to separate folders, not “\\”.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) throw new Error('Names cannot contain control characters.');
  const encoder = new TextEncoder();
  if (encoder.encode(path).length > 1024) throw new Error('The path is too long (at most 1,024 bytes).');
  for (const segment of path.split('/')) {
    if (segment === '') throw new Error('A path cannot contain “//”.');
    if (segment === '.' || segment === '..') throw new Error('“.” and “..” are not allowed in paths.');
    if (encoder.encode(segment).length > 255) throw new Error('A name is too long (at most 255 bytes).');
  }
  return path;
}

/** Where moving `from` into the folder `dir` ('' = the root) puts it. */
export function moveTarget(from: string, dir: string): string {
  return joinPath(dir, baseName(from));
}

/** Why `from` cannot go to `to`, or null if it can. */
export function moveProblem(from: string, to: string): string | null {
  if (from === to) return 'It is already there.';
  if (to.startsWith(from + '/')) return 'A folder cannot be moved into itself.';
  return null;
}
