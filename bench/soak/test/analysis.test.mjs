import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countsByKind, errorsByCause, faultWindows, percentilesPerMinute, recovery } from '../lib/analysis.mjs';

const op = (kind, start, latency, cause = 'ok') => ({ kind, start, end: start + latency, latency, cause, ok: cause === 'ok' });

test('p50 and p99 per kind per minute count only successful operations, by start', () => {
  const origin = 1_000_000;
  const operations = [];
  for (let i = 1; i <= 100; i++) operations.push(op('edit', origin + i * 100, i)); // minute 0: 1..100 ms
  operations.push(op('edit', origin + 30_000, 5000, 'timeout'));
  operations.push(op('edit', origin + 61_000, 7));
  operations.push(op('run', origin + 62_000, 40));
  const rows = percentilesPerMinute(operations, origin);
  assert.deepEqual(rows.map((row) => row.minute), [0, 1]);
  assert.deepEqual(rows[0].kinds.edit, { ok: 100, failed: 1, p50: 50, p99: 99 });
  assert.equal(rows[1].kinds.edit.p50, 7);
  assert.equal(rows[1].kinds.run.p99, 40);
});

test('counts group errors by kind and by cause', () => {
  const operations = [op('run', 0, 1), op('run', 1, 1, 'http:503'), op('save', 2, 1, 'http:503'), op('save', 3, 1, 'timeout')];
  assert.deepEqual(countsByKind(operations).run, { count: 2, ok: 1, errors: { 'http:503': 1 } });
  assert.deepEqual(errorsByCause(operations)['http:503'], { count: 2, kinds: { run: 1, save: 1 } });
});

test('recovery ends when every kind that failed has succeeded again and nothing fails for the stable period', () => {
  const from = 100_000;
  const operations = [
    op('edit', 99_000, 10),
    op('run', 101_000, 10, 'http:503'),
    op('edit', 103_000, 10, 'transport:ECONNREFUSED'),
    op('edit', 104_000, 10),
    op('run', 106_000, 10, 'http:503'),
    op('run', 107_000, 10), // run back at 107.01 s; edit has been back since 104.01 s
    op('edit', 108_000, 10),
    op('edit', 115_000, 10),
  ];
  const result = recovery(operations, { from, limit: 160_000, stableMs: 5000 });
  assert.equal(result.ms, 7010);
  assert.equal(result.failures, 3);
});

test('a failure within the stable period after the first comeback moves recovery to after it', () => {
  const from = 0;
  const operations = [op('tree', 1000, 0, 'http:503'), op('tree', 2000, 0), op('tree', 4000, 0, 'http:503'), op('tree', 5000, 0), op('tree', 12_000, 0)];
  assert.equal(recovery(operations, { from, limit: 60_000, stableMs: 5000 }).ms, 5000);
});

test('recovery waits for the fault\'s action to end before the stable period counts', () => {
  // Nothing fails at first; the engine restart takes 8 s, and runs fail from 6 s to 9 s.
  const operations = [op('run', 1000, 10), op('run', 6000, 10, 'run:internal_error'), op('run', 9000, 10, 'http:503'), op('run', 10_000, 10), op('run', 20_000, 10)];
  assert.equal(recovery(operations, { from: 0, actionEnd: 8000, limit: 60_000, stableMs: 5000 }).ms, 10_010);
});

test('no failure is an immediate recovery; failures to the end are none', () => {
  assert.equal(recovery([op('edit', 10, 1)], { from: 0, limit: 1000 }).ms, 0);
  const never = recovery([op('run', 10, 1, 'http:503'), op('run', 500, 1, 'http:503')], { from: 0, limit: 1000 });
  assert.equal(never.recoveredAt, null);
  assert.equal(never.failures, 2);
});

test('fault windows flag errors other than 503/429 and keep errors outside any window apart', () => {
  const faults = [{ kind: 'kill-service', at: 10_000, endedAt: 11_000 }, { kind: 'restart-redis', at: 60_000, endedAt: 61_000 }];
  const operations = [
    op('edit', 1000, 5, 'http:500'), // before any fault
    op('run', 10_500, 5, 'http:503'),
    op('read-file', 10_600, 5, 'transport:ECONNRESET'),
    op('run', 12_000, 5),
    op('read-file', 12_100, 5),
    op('tree', 40_000, 5, 'http:429'), // long after the first fault recovered
    op('tree', 61_500, 5),
  ];
  const { windows, outside } = faultWindows(operations, faults, { loadEnd: 100_000, stableMs: 5000, reconnects: [{ at: 10_700, cause: 'ws-close:1006' }] });
  assert.equal(windows[0].recovery.ms, 2105);
  assert.deepEqual(windows[0].errors, { 'http:503': 1, 'transport:ECONNRESET': 1 });
  assert.deepEqual(windows[0].flagged, { 'read-file transport:ECONNRESET': 1 });
  assert.deepEqual(windows[0].reconnects, { 'ws-close:1006': 1 });
  assert.equal(windows[1].recovery.ms, 0);
  assert.deepEqual(outside, { 'http:500': 1, 'http:429': 1 });
});
