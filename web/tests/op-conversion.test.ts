import TextOperation from 'ot/lib/text-operation';
import { describe, expect, it } from 'vitest';
import {
  applyReplacements,
  changesToOperation,
  eolNormalizingOperation,
  normalizeEol,
  operationToReplacements,
  type ContentChange,
} from '../src/ide/editor/op-conversion';
import { diffOperation } from '../src/ide/shared-text/text-diff';

/** Applies changes the way Monaco does: in the order given, each relative to the text before the event. */
function applyMonacoStyle(text: string, changes: ContentChange[]): string {
  // Monaco reports them sorted descending, so applying in order never shifts a later one.
  let result = text;
  for (const c of changes) result = result.slice(0, c.rangeOffset) + normalizeEol(c.text) + result.slice(c.rangeOffset + c.rangeLength);
  return result;
}

function roundTrip(before: string, changes: ContentChange[]): string {
  const operation = changesToOperation(changes, before.length);
  const after = operation.apply(before);
  expect(after).toBe(applyMonacoStyle(before, changes));
  return after;
}

describe('changesToOperation', () => {
  it('turns a single insert into retain/insert/retain', () => {
    const op = changesToOperation([{ rangeOffset: 3, rangeLength: 0, text: 'XY' }], 5);
    expect(op.toJSON()).toEqual([3, 'XY', 2]);
  });

  it('handles multi-range edits of one event (descending, as Monaco reports them)', () => {
    const before = 'alpha\nbeta\ngamma\n';
    const changes = [
      { rangeOffset: 11, rangeLength: 0, text: '// ' },
      { rangeOffset: 6, rangeLength: 0, text: '// ' },
      { rangeOffset: 0, rangeLength: 0, text: '// ' },
    ];
    expect(roundTrip(before, changes)).toBe('// alpha\n// beta\n// gamma\n');
  });

  it('handles deletes and replacements mixed with inserts', () => {
    const before = 'one two three four';
    const changes = [
      { rangeOffset: 14, rangeLength: 4, text: '4' },
      { rangeOffset: 8, rangeLength: 5, text: '' },
      { rangeOffset: 0, rangeLength: 3, text: '1' },
    ];
    expect(roundTrip(before, changes)).toBe('1 two  4');
  });

  it('orders an insert sharing its offset with a replacement as Monaco applied them', () => {
    const before = 'abcdef';
    // Applied in this order: replace "cd" with "X", then insert "Y" at 2 (so Y comes first).
    const changes = [
      { rangeOffset: 2, rangeLength: 2, text: 'X' },
      { rangeOffset: 2, rangeLength: 0, text: 'Y' },
    ];
    expect(roundTrip(before, changes)).toBe('abYXef');
  });

  it('counts UTF-16 code units: edits next to a surrogate pair', () => {
    const before = 'a🙂b'; // 🙂 is two code units
    expect(before.length).toBe(4);
    expect(roundTrip(before, [{ rangeOffset: 3, rangeLength: 0, text: '!' }])).toBe('a🙂!b');
    expect(roundTrip(before, [{ rangeOffset: 1, rangeLength: 0, text: '🎉' }])).toBe('a🎉🙂b');
    expect(roundTrip(before, [{ rangeOffset: 1, rangeLength: 2, text: '' }])).toBe('ab');
  });

  it('normalises CRLF input to LF so the op matches the LF model', () => {
    const op = changesToOperation([{ rangeOffset: 1, rangeLength: 0, text: 'x\r\ny\rz' }], 2);
    expect(op.apply('ab')).toBe('ax\ny\nzb');
    expect(op.targetLength).toBe(7);
  });

  it('works on an empty document, and an empty change list is a noop', () => {
    expect(changesToOperation([{ rangeOffset: 0, rangeLength: 0, text: 'hello' }], 0).apply('')).toBe('hello');
    expect(changesToOperation([], 3).isNoop()).toBe(true);
    expect(changesToOperation([{ rangeOffset: 0, rangeLength: 3, text: '' }], 3).apply('abc')).toBe('');
  });

  it('rejects changes that do not fit the document', () => {
    expect(() => changesToOperation([{ rangeOffset: 2, rangeLength: 5, text: '' }], 4)).toThrow(RangeError);
  });
});

describe('operationToReplacements', () => {
  const check = (before: string, ops: (number | string)[]) => {
    const op = TextOperation.fromJSON(ops);
    const replacements = operationToReplacements(op, before);
    expect(applyReplacements(before, replacements)).toBe(op.apply(before));
    return replacements;
  };

  it('gives ascending replacements relative to the text before', () => {
    expect(check('hello world', [1, 'X', 4, -1, 'Y', 5])).toEqual([
      { offset: 1, length: 0, text: 'X' },
      { offset: 5, length: 1, text: 'Y' },
    ]);
  });

  it('merges a delete followed by an insert into one replacement', () => {
    expect(check('abc', [-3, 'xyz'])).toEqual([{ offset: 0, length: 3, text: 'xyz' }]);
  });

  it('widens an edit inside a surrogate pair to the whole character', () => {
    const before = 'a🙂b';
    // Insert between the two halves of 🙂 (offset 2): never a valid Monaco position.
    const replacements = check(before, [2, 'X', 2]);
    expect(replacements).toEqual([{ offset: 1, length: 2, text: '\ud83dX\ude42' }]);
    for (const r of replacements) {
      expect(before.charCodeAt(r.offset) >= 0xdc00 && before.charCodeAt(r.offset) <= 0xdfff).toBe(false);
    }
  });

  it('widens a delete of half a pair, and keeps edits right next to a pair as they are', () => {
    check('x🙂y', [1, -1, 2]);
    expect(check('x🙂y', [3, 'Z', 1])).toEqual([{ offset: 3, length: 0, text: 'Z' }]);
    expect(check('x🙂y', [1, 'Z', 3])).toEqual([{ offset: 1, length: 0, text: 'Z' }]);
  });

  it('handles an empty document and a whole-document delete', () => {
    expect(check('', ['new'])).toEqual([{ offset: 0, length: 0, text: 'new' }]);
    expect(check('gone', [-4])).toEqual([{ offset: 0, length: 4, text: '' }]);
  });

  it('refuses an operation over another length', () => {
    expect(() => operationToReplacements(TextOperation.fromJSON([3]), 'ab')).toThrow(RangeError);
  });
});

describe('diffOperation and EOL normalisation', () => {
  it('finds the one changed span', () => {
    const op = diffOperation('the quick fox', 'the slow fox');
    expect(op.apply('the quick fox')).toBe('the slow fox');
    expect(op.toJSON()).toEqual([4, 'slow', -5, 4]);
  });

  it('never splits a surrogate pair', () => {
    const before = 'a😀b';
    const after = 'a😁b'; // same high surrogate, different low one
    const op = diffOperation(before, after);
    expect(op.apply(before)).toBe(after);
    expect(op.toJSON()).toEqual([1, '😁', -2, 1]);
  });

  it('turns CR line ends into LF, and leaves LF text alone', () => {
    const op = eolNormalizingOperation('a\r\nb\rc\n')!;
    expect(op.apply('a\r\nb\rc\n')).toBe('a\nb\nc\n');
    expect(eolNormalizingOperation('a\nb\n')).toBeNull();
  });
});
