// Generates the test vectors that WebIde.Ot must reproduce byte for byte, using ot.js itself
// (the npm package `ot`, pinned in package.json), because browsers run ot.js.
//
// Regenerate (from the repository root):
//   npm install --prefix tools/ot-vectors
//   node tools/ot-vectors/generate.mjs
// It writes tests/WebIde.Ot.UnitTests/Vectors/ot-js-vectors.json. The seed is fixed, so
// running it again without changing this script or the package gives the same file.
//
// Each entry sits on its own line, written by JSON.stringify, so that the raw text of any
// operation inside the file is exactly what JSON.stringify(operation) gives in a browser.
// Operations are drawn over UTF-16 code units, as ot.js counts them: a retain or delete may
// end between the two halves of a surrogate pair, and some inserts carry lone surrogates.

import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The package's main entry requires socket.io; the operation module stands alone.
const TextOperation = require('ot/lib/text-operation');
const otVersion = require('ot/package.json').version;

const SEED = 0x6f7431; // "ot1"
const CASES = 1200;
const NORMALIZE_CASES = 300;

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(here, '../../tests/WebIde.Ot.UnitTests/Vectors/ot-js-vectors.json');

// mulberry32: small, seedable, identical on every Node version (Math.random is neither).
function makeRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), chance: (p) => next() < p };
}

const rnd = makeRandom(SEED);

// Astral characters take two code units; the lone halves and control characters exercise
// JSON escaping; quotes and backslashes too.
const PIECES = ['a', 'b', 'c', 'x', 'y', ' ', '\n', 'é', '中', '😀', '𝄞', '👍🏽', '"', '\\', '\t'];
const RARE_PIECES = ['\ud83d', '\ude00', '\u0001', '\u001f', '\u2028', '\u007f'];

function randomText(maxPieces) {
  let text = '';
  const count = 1 + rnd.int(maxPieces);
  for (let i = 0; i < count; i++) {
    text += rnd.chance(0.03) ? RARE_PIECES[rnd.int(RARE_PIECES.length)] : PIECES[rnd.int(PIECES.length)];
  }
  return text;
}

function randomDocument() {
  if (rnd.chance(0.1)) return '';
  return randomText(1 + rnd.int(24));
}

// A scattered edit: retains, deletes and inserts all over the document.
function scatteredOperation(doc) {
  const op = new TextOperation();
  let index = 0;
  while (index < doc.length) {
    const take = 1 + rnd.int(Math.min(doc.length - index, 6));
    const roll = rnd.next();
    if (roll < 0.25) {
      op.insert(randomText(3));
    } else if (roll < 0.6) {
      op.retain(take);
      index += take;
    } else {
      op['delete'](take);
      index += take;
    }
  }
  if (rnd.chance(0.3)) op.insert(randomText(3));
  return op;
}

// A keystroke-like edit at one place; positions cluster near the start so that two such
// edits often meet at the same index, where transform must break the tie as ot.js does.
function keystrokeOperation(doc) {
  const op = new TextOperation();
  const at = Math.min(doc.length, rnd.chance(0.5) ? rnd.int(3) : rnd.int(doc.length + 1));
  op.retain(at);
  const left = doc.length - at;
  if (left > 0 && rnd.chance(0.4)) {
    const count = 1 + rnd.int(Math.min(left, 3));
    if (rnd.chance(0.3)) op.insert(randomText(2));
    op['delete'](count);
    op.retain(left - count);
  } else {
    op.insert(randomText(2));
    op.retain(left);
  }
  return op;
}

function randomOperation(doc) {
  if (rnd.chance(0.05)) return new TextOperation().retain(doc.length);
  return rnd.chance(0.4) ? keystrokeOperation(doc) : scatteredOperation(doc);
}

function errorOf(action) {
  try {
    action();
  } catch (error) {
    return error.message;
  }
  throw new Error('expected ot.js to refuse this input');
}

const cases = [];
for (let i = 0; i < CASES; i++) {
  const doc = randomDocument();
  const a = randomOperation(doc);
  const b = randomOperation(doc);
  const afterA = a.apply(doc);
  const afterB = b.apply(doc);
  const c = randomOperation(afterA);
  const composed = a.compose(c);
  const [aPrime, bPrime] = TextOperation.transform(a, b);
  const converged = bPrime.apply(afterA);
  if (converged !== aPrime.apply(afterB)) throw new Error(`ot.js broke TP1 in case ${i}`);
  cases.push({
    doc, a, b, c,
    lengths: [a.baseLength, a.targetLength, b.baseLength, b.targetLength, c.baseLength, c.targetLength],
    noop: [a.isNoop(), b.isNoop(), c.isNoop()],
    applyA: afterA,
    applyB: afterB,
    compose: composed,
    applyCompose: composed.apply(doc),
    transform: [aPrime, bPrime],
    applyTransform: converged,
    invertA: a.invert(doc),
    invertC: c.invert(afterA),
  });
}

// Component lists that are not normal (zeros aside, which ot.js refuses): adjacent
// components of one kind, deletes before inserts, empty inserts. ot.js's fromJSON runs them
// through its builders, and its output is the normal form.
const normalize = [];
for (let i = 0; i < NORMALIZE_CASES; i++) {
  const raw = [];
  const count = rnd.int(8);
  for (let j = 0; j < count; j++) {
    const roll = rnd.next();
    if (roll < 0.35) raw.push(1 + rnd.int(4));
    else if (roll < 0.7) raw.push(-(1 + rnd.int(4)));
    else raw.push(rnd.chance(0.1) ? '' : randomText(2));
  }
  const op = TextOperation.fromJSON(raw);
  normalize.push({ input: raw, output: op, baseLength: op.baseLength, targetLength: op.targetLength, noop: op.isNoop() });
}

const errors = [];
for (let i = 0; i < 40; i++) {
  const doc = randomDocument();
  const op = randomOperation(doc);
  const wrong = doc + randomText(2);
  errors.push({ kind: 'apply', op, doc: wrong, error: errorOf(() => op.apply(wrong)) });
  const other = randomOperation(wrong);
  if (op.targetLength !== other.baseLength) {
    errors.push({ kind: 'compose', a: op, b: other, error: errorOf(() => op.compose(other)) });
  }
  if (op.baseLength !== other.baseLength) {
    errors.push({ kind: 'transform', a: op, b: other, error: errorOf(() => TextOperation.transform(op, other)) });
  }
}
// Values ot.js's fromJSON refuses. Non-integer numbers are not among them (ot.js takes 1.5
// as a retain); WebIde.Ot refuses those as well, which its own unit tests check.
for (const json of [[0], [null], [true], [false], [{}], [[1]], [1, {}, 'a'], ['a', 0], [-0]]) {
  errors.push({ kind: 'fromJSON', json, error: errorOf(() => TextOperation.fromJSON(json)) });
}

const line = (value) => JSON.stringify(value);
const text =
  '{"generator":"tools/ot-vectors/generate.mjs",' +
  `"ot":${line(otVersion)},"seed":${SEED},\n` +
  '"cases":[\n' + cases.map(line).join(',\n') + '\n],\n' +
  '"normalize":[\n' + normalize.map(line).join(',\n') + '\n],\n' +
  '"errors":[\n' + errors.map(line).join(',\n') + '\n]}\n';

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, text);
console.log(`ot ${otVersion}: ${cases.length} cases, ${normalize.length} normalizations, ${errors.length} errors, ${text.length} characters -> ${output}`);
