import assert from 'node:assert/strict';
import { test } from 'node:test';
import { savedFileIntact, verifyContainers, verifyMarkers, verifyProcesses, verifySavedFile } from '../lib/verify.mjs';

test('every acknowledged marker must be in the final text exactly once', () => {
  const text = '# doc\n⟦u1:0⟧ ⟦u2:0⟧ typed ⟦u1:1⟧ ⟦u2:0⟧ ⟦u3:9⟧ ';
  const result = verifyMarkers(['⟦u1:0⟧', '⟦u1:1⟧', '⟦u2:0⟧', '⟦u2:1⟧', '⟦u1:0⟧'], text);
  assert.equal(result.acknowledged, 4); // a marker counted once, however often it was reported
  assert.deepEqual(result.lost, ['⟦u2:1⟧']);
  assert.deepEqual(result.duplicated, ['⟦u2:0⟧']);
  assert.equal(result.present, 3);
  // markers in the text that nobody had acknowledged (⟦u3:9⟧: its ack never came) are fine
  assert.deepEqual(verifyMarkers(['⟦u1:0⟧'], text).lost, []);
});

test('a saved file is intact when it is the last acknowledged write or a later unanswered one', () => {
  const expectation = { path: 'saves/a.txt', acknowledged: 'two', uncertain: ['three'] };
  assert.equal(verifySavedFile(expectation, 'two').verdict, 'intact');
  assert.equal(verifySavedFile(expectation, 'three').verdict, 'intact (a later unanswered write)');
  const differs = verifySavedFile(expectation, 'one');
  assert.equal(differs.verdict, 'differs');
  assert.equal(savedFileIntact(differs), false);
  assert.equal(verifySavedFile(expectation, null).verdict, 'unreadable');
  assert.equal(savedFileIntact(verifySavedFile({ path: 'p', acknowledged: null, uncertain: [] }, null)), true);
  assert.equal(savedFileIntact(verifySavedFile({ path: 'p', acknowledged: 'x', uncertain: [] }, 'x ')), false); // byte for byte
});

test('containers: none stopped, no more running than the pools hold', () => {
  const running = (id) => ({ id, state: 'running' });
  assert.equal(verifyContainers([running('a'), running('b')], { bound: 2 }).pass, true);
  assert.equal(verifyContainers([running('a'), running('b'), running('c')], { bound: 2 }).pass, false);
  const exited = verifyContainers([running('a'), { id: 'b', state: 'exited' }], { bound: 9 });
  assert.equal(exited.pass, false);
  assert.deepEqual(exited.byState, { running: 1, exited: 1 });
});

test('processes: orphans that were there before are not left behind by the soak', () => {
  const before = [{ pid: 10, start: 5, name: 'epmd' }];
  assert.equal(verifyProcesses(before, [{ pid: 10, start: 5, name: 'epmd' }], []).pass, true);
  const after = verifyProcesses(before, [{ pid: 10, start: 5 }, { pid: 10, start: 99, name: 'inet_gethost' }], []);
  assert.equal(after.pass, false);
  assert.equal(after.orphans.length, 1);
  assert.equal(verifyProcesses([], [], [{ instance: 'collaboration-1', pids: [1, 2] }]).pass, false);
});
