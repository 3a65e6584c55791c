import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectFailureCause, errorCause, fatalCause, isContractError, isResumableClose } from '../lib/outcomes.mjs';

test('only 503 and 429 (and a rate-limited op) are errors the contract allows during a fault', () => {
  for (const cause of ['http:503', 'http:429', 'collab:rate_limited']) assert.equal(isContractError(cause), true, cause);
  for (const cause of ['http:500', 'http:502', 'timeout', 'transport:ECONNREFUSED', 'run:internal_error', 'wrong-output', 'ok']) assert.equal(isContractError(cause), false, cause);
});

test('a thrown fetch becomes a timeout or the connection failure\'s code', () => {
  assert.equal(errorCause(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })), 'timeout');
  assert.equal(errorCause(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }) })), 'transport:ECONNREFUSED');
  assert.equal(errorCause(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })), 'transport:UND_ERR_SOCKET');
  assert.equal(errorCause(new TypeError('fetch failed', { cause: new Error('bad port') })), 'transport:bad port');
});

test('the collaboration client\'s connection failures and give-ups become causes', () => {
  assert.equal(connectFailureCause('reconnect: upgrade answered 503 (after 250 ms)'), 'http:503');
  assert.equal(connectFailureCause('reconnect: closed (1006) before joined (after 0 ms)'), 'ws-close:1006');
  assert.equal(connectFailureCause('first connect: socket error: connect ECONNREFUSED 127.0.0.1:8080 (after 0 ms)'), 'transport:ECONNREFUSED');
  assert.equal(connectFailureCause('reconnect: socket error: Opening handshake has timed out (after 1000 ms)'), 'timeout');
  assert.equal(fatalCause('could not connect and join within 20000 ms (9 attempts)'), 'collab:gave-up');
  assert.equal(fatalCause('the upgrade was answered 404'), 'http:404');
  assert.equal(fatalCause('error invalid_op: bad'), 'collab:invalid_op');
});

test('closes that mean "reconnect and resume" are told apart from the others', () => {
  for (const code of [1001, 1006, 1013, 4008]) assert.equal(isResumableClose(code), true, String(code));
  for (const code of [1000, 4001, 4003, 4004]) assert.equal(isResumableClose(code), false, String(code));
});
