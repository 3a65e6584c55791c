import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { Http, retryDelayMs } from '../lib/http.mjs';
import { Timeline } from '../lib/timeline.mjs';

const half = () => 0.5; // no jitter: the middle of the range

test('a 429 waits what Retry-After says; a 503 backs off, at least its Retry-After; a 404 is final', () => {
  assert.equal(retryDelayMs('http:429', 0, '7', half), 7000);
  assert.equal(retryDelayMs('http:429', 0, null, half), 1000);
  assert.equal(retryDelayMs('http:503', 0, null, half), 250);
  assert.equal(retryDelayMs('http:503', 3, null, half), 2000);
  assert.equal(retryDelayMs('http:503', 0, '5', half), 5000);
  assert.equal(retryDelayMs('http:503', 0, '3600', half), 10_000); // a long Retry-After is capped
  assert.equal(retryDelayMs('transport:ECONNREFUSED', 1, null, half), 500);
  assert.equal(retryDelayMs('http:404', 0, null, half), null);
  assert.equal(retryDelayMs('wrong-output', 0, null, half), null);
});

async function serve(answers) {
  let calls = 0;
  const server = createServer((request, response) => {
    const [status, headers] = answers[Math.min(calls++, answers.length - 1)];
    response.writeHead(status, headers);
    response.end(status === 200 ? 'done' : '{}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, calls: () => calls, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('each attempt is on the timeline; the call succeeds once the dependency is back', async () => {
  const server = await serve([[503, { 'retry-after': '0' }], [429, { 'retry-after': '0' }], [200, {}]]);
  const timeline = new Timeline();
  const answer = await new Http(server.url, timeline, { random: half }).request('tree', 'GET', '/x');
  await server.close();
  assert.equal(answer.cause, 'ok');
  assert.equal(answer.text, 'done');
  assert.deepEqual([...timeline.operations()].map((op) => op.cause), ['http:503', 'http:429', 'ok']);
});

test('a call that must not be sent twice is not retried after a lost answer, only after a refusal', async () => {
  const server = await serve([[503, {}], [200, {}]]);
  const timeline = new Timeline();
  const answer = await new Http(server.url, timeline, { random: half }).request('token-refresh', 'POST', '/x', { retryUnanswered: false });
  await server.close();
  assert.equal(answer.cause, 'ok');
  const unreachable = await new Http('http://127.0.0.1:9', new Timeline()).request('token-refresh', 'POST', '/x', { retryUnanswered: false });
  assert.equal(unreachable.attempts, 1);
});

test('a wrong answer with the right status is the check\'s cause, and final', async () => {
  const server = await serve([[200, {}]]);
  const timeline = new Timeline();
  const answer = await new Http(server.url, timeline).request('run', 'POST', '/x', { check: ({ text }) => (text === '7\n' ? null : 'wrong-output') });
  await server.close();
  assert.equal(answer.cause, 'wrong-output');
  assert.equal(server.calls(), 1);
});
