import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countsByKind, errorsByCause, faultWindows, percentilesPerMinute } from '../lib/analysis.mjs';
import { parseOptions } from '../lib/options.mjs';
import { printReport } from '../lib/report.mjs';
import { rssGrowth } from '../lib/rss.mjs';
import { targets } from '../lib/targets.mjs';

const op = (kind, start, latency, cause = 'ok') => ({ kind, start, end: start + latency, latency, cause, ok: cause === 'ok' });

test('the report prints N/M lost, the faults with their recovery, the RSS sums and a verdict per target', () => {
  const options = parseOptions(['--minutes', '3', '--seed', '1']);
  const origin = 1_000_000;
  const operations = [op('edit', origin + 1000, 20), op('run', origin + 70_000, 30, 'http:503'), op('run', origin + 71_000, 30, 'run:internal_error'), op('run', origin + 90_000, 25)];
  const faults = [{ kind: 'restart-docker', at: origin + 69_000, endedAt: origin + 80_000, target: { pid: 42, name: 'dockerd' }, note: '' }];
  const sample = (label, rss) => ({ label, at: 0, processes: [{ pid: 1, start: 1, name: 'gateway', rssKiB: rss }] });
  const samples = [sample('start', 90_000), sample('minute 0.6', 100_000), sample('end', 130_000)];
  const results = {
    context: { startedAt: '2026-12-07T21:00:00Z', commit: 'abc1234', cores: 2, load: { start: 0.5, end: 3.2, afterChecks: 1 }, notes: [], origin },
    counts: countsByKind(operations),
    errors: errorsByCause(operations),
    perMinute: percentilesPerMinute(operations, origin),
    reconnects: { total: 2, byCause: { 'ws-close:1006': 2 } },
    faults: faultWindows(operations, faults, { loadEnd: origin + 180_000, stableMs: 5000 }),
    rss: { samples, growth: rssGrowth(samples[1], samples[2]) },
    verification: {
      unsettled: 0,
      documents: [{ workspace: 'w', read: 'fresh join', markers: { acknowledged: 10, present: 9, lost: ['⟦u1:3⟧'], duplicated: [] }, fileMatchesDocument: true }],
      saves: { checked: 4, intact: 4, failed: [] },
      containers: { total: 3, byState: { running: 3 }, running: 3, bound: 72, notRunning: [], pass: true, installation: '/x/.data', sizing: null },
      processes: { orphans: [], duplicates: [], pass: true },
    },
    users: { total: 4, problems: [] },
    violations: [],
  };
  results.targets = targets(results, options);
  let text = '';
  printReport(results, options, (chunk) => (text += chunk));
  assert.match(text, /\*\*1\/10 lost\*\*/);
  assert.match(text, /\| 0 acknowledged edits lost \| 1\/10 lost, 0 duplicated, 0 of 1 documents unreadable \| \*\*FAIL\*\* \|/);
  assert.match(text, /\| 0 acknowledged saves lost \| 0\/4 files not as last written \| \*\*PASS\*\* \|/);
  assert.match(text, /\| 1:09 \| restart-docker \| dockerd \(42\) \| 11\.0 \| 21\.0 \|.*run run:internal_error ×1/);
  assert.match(text, /\| recovered within 10 s \| 1 of 1 faults not; slowest 21\.0 s \| \*\*FAIL\*\* \|/);
  assert.match(text, /\| during faults, errors only 503\/429 \| 1 of 2 errors in fault windows were something else; 1 faults \| \*\*FAIL\*\* \|/);
  assert.match(text, /RSS growth ≤ 10 % \(minute 0\.6 → end\) \| 30\.0 % of 1 processes/);
  assert.match(text, /\| \*\*sum\*\* \(1 \/ 1 \/ 1 processes\) \| \| 87\.9 \| 97\.7 \| 127\.0 \|/);
  assert.match(text, /load average 0\.50 at the start, 3\.20 at the end/);
  assert.equal(text.match(/\*\*(PASS|FAIL)\*\*/g).length, 8);
});
