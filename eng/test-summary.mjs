#!/usr/bin/env node
// Sums test results over every TRX file (dotnet test --logger trx) and every
// vitest JSON report (--reporter=json --outputFile=...) found under the given
// files or folders, and prints one closing line:
//
//   N passed, N failed            (", N skipped" is added when skipped > 0)
//
// Usage: node eng/test-summary.mjs <dir-or-file>... [--quiet]
// Exit code: 0 when at least one test ran and none failed, 1 otherwise,
// 2 on bad usage. No dependencies.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const inputs = args.filter((a) => !a.startsWith('--'));
if (inputs.length === 0) {
  console.error('usage: node eng/test-summary.mjs <results-dir-or-file>... [--quiet]');
  process.exit(2);
}

// TRX outcome names (Microsoft.VisualStudio.TestTools.Common.TestOutcome).
const PASSED = new Set(['passed', 'passedbutrunaborted', 'warning', 'completed']);
const FAILED = new Set(['failed', 'error', 'timeout', 'aborted', 'notrunnable', 'disconnected']);
// Everything else (notexecuted, inconclusive, pending, inprogress) counts as skipped:
// NUnit reports [Ignore]d and inconclusive tests as NotExecuted.

const MAX_NAMES = 40;
const failedNames = [];
const details = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function listFiles(p) {
  if (!existsSync(p)) return [];
  const st = statSync(p);
  if (st.isFile()) return [p];
  const out = [];
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    const full = join(p, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'));
  return m ? m[1] : undefined;
}

function unescapeXml(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseTrx(text) {
  // Data-driven MSTest results nest child results in <InnerResults>; the parent
  // already carries the aggregate outcome, so the children are not counted again.
  const body = text.replace(/<InnerResults>[\s\S]*?<\/InnerResults>/g, '');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const names = [];
  const classOf = new Map();
  for (const m of body.matchAll(/<UnitTest\b[^>]*>[\s\S]*?<TestMethod\b[^>]*>/g)) {
    const id = attr(m[0].match(/<UnitTest\b[^>]*>/)[0], 'id');
    const cls = attr(m[0].match(/<TestMethod\b[^>]*>/)[0], 'className');
    if (id && cls) classOf.set(id, unescapeXml(cls));
  }
  let seen = 0;
  for (const m of body.matchAll(/<UnitTestResult\b[^>]*>/g)) {
    seen++;
    const outcome = (attr(m[0], 'outcome') || '').toLowerCase();
    if (PASSED.has(outcome)) counts.passed++;
    else if (FAILED.has(outcome)) {
      counts.failed++;
      const cls = classOf.get(attr(m[0], 'testId'));
      const name = unescapeXml(attr(m[0], 'testName') || '(unnamed test)');
      names.push(cls && !name.startsWith(cls) ? `${cls}.${name}` : name);
    } else counts.skipped++;
  }
  if (seen === 0) {
    // No per-test elements: fall back on the run's counters.
    const c = body.match(/<Counters\b[^>]*>/);
    if (c) {
      const n = (k) => Number(attr(c[0], k) || 0);
      counts.passed = n('passed') + n('passedButRunAborted') + n('warning') + n('completed');
      counts.failed = n('failed') + n('error') + n('timeout') + n('aborted') + n('notRunnable') + n('disconnected');
      counts.skipped = Math.max(0, n('total') - counts.passed - counts.failed);
    }
  }
  return { counts, names };
}

function parseVitest(json) {
  const counts = {
    passed: Number(json.numPassedTests || 0),
    failed: Number(json.numFailedTests || 0),
    skipped: Number(json.numPendingTests || 0) + Number(json.numTodoTests || 0),
  };
  const names = [];
  let brokenFiles = 0;
  for (const file of json.testResults || []) {
    const assertions = file.assertionResults || [];
    for (const a of assertions) {
      if (a.status === 'failed') names.push(a.fullName || a.title || '(unnamed test)');
    }
    // A test file that fails to load (syntax or import error) reports no failed
    // test at all; count it as one failure so it cannot vanish silently.
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      brokenFiles++;
      names.push(`${file.name || '(test file)'} (file failed to run: ${String(file.message || '').split('\n')[0]})`);
    }
  }
  counts.failed += brokenFiles;
  return { counts, names, note: brokenFiles ? `, incl. ${brokenFiles} test file(s) that failed to run` : '' };
}

function fmt(c) {
  return `${c.passed} passed, ${c.failed} failed` + (c.skipped > 0 ? `, ${c.skipped} skipped` : '');
}

const files = inputs.flatMap(listFiles);
const base = inputs.length === 1 && existsSync(inputs[0]) && statSync(inputs[0]).isDirectory() ? inputs[0] : process.cwd();
for (const file of files.sort()) {
  let result;
  let kind;
  try {
    if (file.toLowerCase().endsWith('.trx')) {
      kind = 'dotnet';
      result = parseTrx(readFileSync(file, 'utf8'));
    } else if (file.toLowerCase().endsWith('.json')) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof json !== 'object' || json === null || !('numTotalTests' in json)) continue;
      kind = 'vitest';
      result = parseVitest(json);
    } else {
      continue;
    }
  } catch (err) {
    details.push(`  could not read ${relative(base, file)}: ${err.message}`);
    continue;
  }
  for (const k of Object.keys(totals)) totals[k] += result.counts[k];
  failedNames.push(...result.names);
  details.push(`  ${kind.padEnd(6)} ${relative(base, file) || file}: ${fmt(result.counts)}${result.note || ''}`);
}

if (!quiet) {
  if (details.length === 0) console.log('  no TRX file or vitest JSON report found');
  for (const d of details) console.log(d);
  if (failedNames.length > 0) {
    console.log('  failed:');
    for (const n of failedNames.slice(0, MAX_NAMES)) console.log(`    - ${n}`);
    if (failedNames.length > MAX_NAMES) console.log(`    … and ${failedNames.length - MAX_NAMES} more`);
  }
}
console.log(fmt(totals));
process.exit(totals.failed === 0 && totals.passed + totals.failed > 0 ? 0 : 1);
