// Random edits as a person in an editor would make them: inserts (with newlines, accents,
// CJK, emoji made of surrogate pairs), deletes, replaces, sometimes clearing everything.
//
// Edits never split a surrogate pair or a marker. A marker ("⟦c3n17⟧") is a unique string a
// client inserts so that, at the end, every acknowledged insert can be found again: a marker
// whose insert was acknowledged must be in the final text exactly once, unless an
// acknowledged delete removed it (the deleting client knows which markers it removed).

import TextOperation from 'ot/lib/text-operation.js';

export const MARKER_PATTERN = /⟦[^⟦⟧]*⟧/g;

const PIECES = [
  'a', 'b', 'c', 'x', 'y', 'z', 'e', 'o', 'the ', 'fn', '42', ' ', ' ', ' ', '\t', '(', ')', '{', '}', ';', '"',
  '\n', '\n', '\n\n', 'é', 'ß', 'ø', '中', '文', 'Я', 'λ', '→',
  '😀', '🎉', '𝄞', '👍🏽', '🇩🇪', '👩‍💻',
];

/** Offsets where an edit may start or end: between code points and never inside a marker. */
export function editBoundaries(text) {
  const boundaries = [0];
  for (const match of text.matchAll(/⟦[^⟦⟧]*⟧|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g)) {
    boundaries.push(match.index + match[0].length);
  }
  return boundaries;
}

export function markersIn(text) {
  return [...text.matchAll(MARKER_PATTERN)].map((match) => match[0]);
}

function randomText(rng) {
  const pieces = rng.chance(0.05) ? rng.int(20, 80) : rng.int(1, 8);
  let text = '';
  for (let i = 0; i < pieces; i++) {
    text += rng.pick(PIECES);
  }
  return text;
}

/**
 * One random edit of `text`: `{operation, inserted: [markers], deleted: [markers], kind}`.
 * `nextMarker()` names a new unique marker when the edit inserts one.
 */
export function randomEdit(rng, text, nextMarker, { maxLength = 3000, clearChance = 0.01 } = {}) {
  const boundaries = editBoundaries(text);
  const atoms = boundaries.length - 1;
  const kind = atoms === 0
    ? 'insert'
    : rng.weighted({
      insert: text.length > maxLength ? 5 : 45,
      delete: text.length > maxLength ? 60 : 25,
      replace: 20,
      clear: clearChance * 100,
    });

  let from = 0;
  let to;
  if (kind === 'clear') {
    to = text.length;
  } else if (kind === 'insert') {
    from = to = boundaries[rng.int(0, atoms)];
  } else {
    const first = rng.int(0, atoms - 1);
    const last = Math.min(atoms, first + (rng.chance(0.1) ? rng.int(10, 60) : rng.int(1, 6)));
    from = boundaries[first];
    to = boundaries[last];
  }

  const inserted = [];
  let insert = '';
  if (kind === 'insert' || kind === 'replace') {
    insert = randomText(rng);
    if (rng.chance(0.5)) {
      const marker = nextMarker();
      inserted.push(marker);
      const at = rng.int(0, 1) === 0 ? 0 : insert.length;
      insert = insert.slice(0, at) + marker + insert.slice(at);
    }
  }

  const operation = new TextOperation()
    .retain(from)
    .delete(to - from)
    .insert(insert)
    .retain(text.length - to);
  return { operation, inserted, deleted: markersIn(text.slice(from, to)), kind };
}

/** A document a session starts from (sometimes empty), as if loaded from the file. */
export function randomInitialText(rng) {
  if (rng.chance(0.3)) {
    return '';
  }
  let text = '';
  const lines = rng.int(1, 12);
  for (let i = 0; i < lines; i++) {
    text += randomText(rng).replaceAll('\n', ' ') + '\n';
  }
  return text;
}
