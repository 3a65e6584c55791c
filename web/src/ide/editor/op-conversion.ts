// Monaco edits ⇄ ot.js operations, as plain data: no Monaco at run time here, so the rules
// are unit-tested in Node. Offsets and lengths are UTF-16 code units on both sides.
import TextOperation from 'ot/lib/text-operation';
import { diffOperation, isHighSurrogate, isLowSurrogate } from '../shared-text/text-diff';

/** The parts of Monaco's IModelContentChange this module needs (offsets in the model before the event). */
export interface ContentChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** A replacement in a document: `length` units from `offset` become `text`. */
export interface Replacement {
  offset: number;
  length: number;
  text: string;
}

/** The model is LF only; anything pasted or received with CR line ends is read as LF. */
export function normalizeEol(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * One event's changes → one operation over a document of `baseLength`. Monaco reports an
 * event's changes in the order it applied them (descending offsets), each relative to the
 * model before the event; changes never overlap, but an insert may share its offset with a
 * replacement, and the one applied later then comes first in the text.
 */
export function changesToOperation(changes: readonly ContentChange[], baseLength: number): TextOperation {
  const ordered = changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => a.change.rangeOffset - b.change.rangeOffset || b.index - a.index)
    .map(({ change }) => change);
  const operation = new TextOperation();
  let at = 0;
  for (const change of ordered) {
    if (change.rangeOffset < at || change.rangeOffset + change.rangeLength > baseLength) {
      throw new RangeError(`change at ${change.rangeOffset}+${change.rangeLength} does not fit a document of ${baseLength} (at ${at})`);
    }
    operation.retain(change.rangeOffset - at);
    operation.insert(normalizeEol(change.text));
    operation.delete(change.rangeLength);
    at = change.rangeOffset + change.rangeLength;
  }
  operation.retain(baseLength - at);
  return operation;
}

/**
 * A (remote) operation → replacements in the document `before` it applies to, ascending and
 * relative to `before` (the form Monaco's applyEdits takes). A replacement whose edge falls
 * between the halves of a surrogate pair is widened to the whole character, since Monaco
 * positions cannot point inside one.
 */
export function operationToReplacements(operation: TextOperation, before: string): Replacement[] {
  if (operation.baseLength !== before.length) {
    throw new RangeError(`operation over ${operation.baseLength} units applied to a document of ${before.length}`);
  }
  const raw: Replacement[] = [];
  let at = 0;
  for (const component of operation.ops) {
    if (TextOperation.isRetain(component)) {
      at += component;
    } else if (TextOperation.isInsert(component)) {
      const last = raw[raw.length - 1];
      if (last && last.offset + last.length === at) last.text += component;
      else raw.push({ offset: at, length: 0, text: component });
    } else {
      const length = -component;
      const last = raw[raw.length - 1];
      if (last && last.offset + last.length === at) last.length += length;
      else raw.push({ offset: at, length, text: '' });
      at += length;
    }
  }
  const widened: Replacement[] = [];
  for (const r of raw) {
    let { offset, length, text } = r;
    if (offset > 0 && offset < before.length && isLowSurrogate(before.charCodeAt(offset)) && isHighSurrogate(before.charCodeAt(offset - 1))) {
      offset--;
      length++;
      text = before[offset] + text;
    }
    const end = offset + length;
    if (end > 0 && end < before.length && isHighSurrogate(before.charCodeAt(end - 1)) && isLowSurrogate(before.charCodeAt(end))) {
      length++;
      text += before[end];
    }
    const last = widened[widened.length - 1];
    if (last && last.offset + last.length >= offset) {
      // Widening made two replacements touch: merge them over the text between.
      const gap = before.slice(last.offset + last.length, offset);
      last.text += gap + text;
      last.length = offset + length - last.offset;
    } else {
      widened.push({ offset, length, text });
    }
  }
  return widened;
}

/** Applies replacements (ascending, relative to `text`) — what the model does with them. */
export function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  let result = '';
  let at = 0;
  for (const r of replacements) {
    result += text.slice(at, r.offset) + r.text;
    at = r.offset + r.length;
  }
  return result + text.slice(at);
}

/** An operation that turns `text` into LF-only text (null when it already is). */
export function eolNormalizingOperation(text: string): TextOperation | null {
  const normalized = normalizeEol(text);
  return normalized === text ? null : diffOperation(text, normalized);
}
