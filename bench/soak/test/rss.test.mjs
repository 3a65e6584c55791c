import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rssGrowth } from '../lib/rss.mjs';

const sample = (label, processes) => ({ label, at: 0, processes: processes.map(([pid, start, name, rssKiB]) => ({ pid, start, name, rssKiB })) });

test('growth is of the processes alive at both samples; restarted ones are listed, not counted', () => {
  const before = sample('minute 2', [[1, 100, 'gateway', 100_000], [2, 100, 'collaboration-1', 200_000], [3, 100, 'redis-server', 10_000]]);
  const after = sample('end', [
    [1, 100, 'gateway', 105_000],
    [2, 100, 'collaboration-1', 230_000], // +15 % on its own
    [3, 900, 'redis-server', 9_000], // same pid, another start: a restarted Redis
    [4, 900, 'identity', 150_000],
  ]);
  const growth = rssGrowth(before, after);
  assert.equal(growth.sumBeforeKiB, 300_000);
  assert.equal(growth.sumAfterKiB, 335_000);
  assert.ok(Math.abs(growth.growthPercent - 11.67) < 0.01);
  assert.equal(growth.pass, false);
  assert.deepEqual(growth.grewOverLimit.map((process) => process.name), ['collaboration-1']);
  assert.deepEqual(growth.started.map((process) => process.name).sort(), ['identity', 'redis-server']);
  assert.deepEqual(growth.ended.map((process) => process.pid), [3]);
});

test('within the limit passes; nothing in common cannot pass', () => {
  const before = sample('minute 2', [[1, 1, 'gateway', 100_000]]);
  assert.equal(rssGrowth(before, sample('end', [[1, 1, 'gateway', 110_000]])).pass, true);
  assert.equal(rssGrowth(before, sample('end', [[1, 2, 'gateway', 100_000]])).pass, false);
});
