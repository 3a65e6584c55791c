// The whole soak against test/fake-platform.mjs, briefly: users sign up, edit, save, run and
// browse; halfway through the fake drops every socket and answers 503 for 3 s. Nothing
// acknowledged may be lost, the 503s must be on the timeline, and the editors must have resumed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../lib/main.mjs';
import { parseOptions } from '../lib/options.mjs';
import { startFakePlatform } from './fake-platform.mjs';

test('through an outage, every acknowledged edit and save is read back', { timeout: 120_000 }, async () => {
  const fake = await startFakePlatform();
  const out = `/tmp/soak-test-${process.pid}.json`;
  const options = parseOptions([
    '--url', fake.url, '--minutes', '0.25', '--users', '6', '--users-per-workspace', '3', '--faults', 'off', '--seed', '5',
    '--keystroke-min-ms', '100', '--keystroke-max-ms', '200', '--save-seconds', '1', '--run-seconds', '1', '--browse-seconds', '1',
    '--settle-seconds', '10', '--quiet-seconds', '0', '--container-grace-seconds', '0', '--platform-dir', '/nonexistent', '--out', out,
  ]);
  const outage = setTimeout(() => fake.outage(3000), 7000);
  let report = '';
  const write = process.stdout.write;
  process.stdout.write = (text) => {
    report += text;
    return true;
  };
  let code;
  try {
    code = await main(options);
  } finally {
    process.stdout.write = write;
    clearTimeout(outage);
    await fake.close();
  }
  const results = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
  const target = (name) => results.targets.find((entry) => entry.name === name);
  assert.equal(target('0 acknowledged edits lost').pass, true, target('0 acknowledged edits lost').detail);
  assert.equal(target('0 acknowledged saves lost').pass, true, target('0 acknowledged saves lost').detail);
  assert.ok(results.errors['http:503']?.count > 0, 'the outage\'s 503s are recorded');
  assert.ok(results.reconnects.byCause['ws-close:1001'] >= 6, 'every editor was dropped');
  assert.ok(results.counts['collab-connect'].ok >= 12, 'and resumed');
  assert.equal(target('no errors outside fault windows').pass, false); // an outage with --faults off is outside any window
  assert.equal(code, 3);
  assert.match(report, /\*\*0\/\d+ lost\*\*/);
  assert.equal(results.violations.length, 0, results.violations.join('\n'));
});
