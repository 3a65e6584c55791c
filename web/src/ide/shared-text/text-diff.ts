// The one text diff both sides of the editing seam use: the editor when a change event does not
// add up, the collaboration client when it rebases edits onto a fresh document.
import TextOperation from 'ot/lib/text-operation';

/**
 * The smallest single replacement that turns `before` into `after`: the fallback when an
 * event's changes do not add up to what the model holds.
 */
export function diffOperation(before: string, after: string): TextOperation {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // Never cut a surrogate pair in two: the editor cannot show half a character.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return new TextOperation()
    .retain(start)
    .insert(after.slice(start, after.length - end))
    .delete(before.length - end - start)
    .retain(end);
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
