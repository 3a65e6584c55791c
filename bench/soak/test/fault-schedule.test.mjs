import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAULT_KINDS, faultSchedule } from '../lib/fault-schedule.mjs';

test('faults come every interval from the first, each round of four in a seeded order, none in the last half interval', () => {
  const schedule = faultSchedule({ seed: 42, firstAtMs: 120_000, intervalMs: 60_000, untilMs: 600_000 });
  assert.deepEqual(schedule.map((entry) => entry.atMs), [120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000]);
  assert.deepEqual([...schedule.slice(0, 4).map((entry) => entry.kind)].sort(), [...FAULT_KINDS].sort());
  assert.deepEqual([...schedule.slice(4, 8).map((entry) => entry.kind)].sort(), [...FAULT_KINDS].sort());
  assert.deepEqual(faultSchedule({ seed: 42, firstAtMs: 120_000, intervalMs: 60_000, untilMs: 600_000 }), schedule);
  const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => faultSchedule({ seed, firstAtMs: 0, intervalMs: 1, untilMs: 4 }).map((entry) => entry.kind).join()));
  assert.ok(orders.size > 1, 'the order depends on the seed');
});
