import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editBoundaries } from '../../../web/e2e/collab/edits.mjs';
import { insertPoint } from '../lib/insert-point.mjs';

test('a marker never goes inside another marker or a surrogate pair', () => {
  const text = '# doc\n⟦u1:0⟧ ⟦u12:345⟧ 😀x⟦u2:7⟧';
  const allowed = new Set(editBoundaries(text));
  for (let at = 0; at <= text.length; at++) {
    const point = insertPoint(text, at);
    assert.ok(point >= at && allowed.has(point), `${at} → ${point}`);
  }
  assert.equal(insertPoint(text, 8), text.indexOf('⟧') + 1); // inside ⟦u1:0⟧: just after it
  assert.equal(insertPoint(text, 0), 0);
  assert.equal(insertPoint('⟦u1:0⟧', 0), 0); // before a marker that starts the text
  assert.equal(insertPoint(text, text.length), text.length);
});
