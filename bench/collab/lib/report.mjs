import { formatInteger, formatMs, median } from './stats.mjs';

const CPU_COLUMNS = ['gateway', 'dcp', 'collaboration', 'redis', 'files & events', 'ShareDB', 'postgres'];

// Median over the repetitions of one figure.
const med = (runs, pick) => median(runs.map(pick));

function validity(runs, options) {
  const invalid = runs.filter((run) => !run.valid).length;
  if (invalid === 0) return { text: `valid (${runs.length}/${runs.length})`, invalid: false };
  return { text: `**INVALID** (${invalid} of ${runs.length}: the generator's loop delay or typing lateness p99 > ${options.maxLoopDelay} ms)`, invalid: true };
}

function byWorkloadAndTarget(results, workload) {
  const rows = new Map();
  for (const entry of results) {
    if (entry.workload !== workload) continue;
    if (!rows.has(entry.target)) rows.set(entry.target, { label: entry.label, runs: [] });
    rows.get(entry.target).runs.push(entry.result);
  }
  return [...rows.values()];
}

const percent = (value) => (Number.isFinite(value) ? `${Math.round(value)} %` : '–');

function phaseTable(lines, title, rows, options) {
  let invalid = false;
  lines.push(title);
  lines.push('');
  lines.push('| target | keystroke → last peer p50 ms | p99 ms | max ms | each peer p50 / p99 ms | keystrokes/s | ops/s | selections received/s | CPU µs per keystroke, path | generator loop delay / typed late p99 ms | |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const { label, runs } of rows) {
    const state = validity(runs, options);
    invalid ||= state.invalid;
    lines.push(`| ${label} | ${formatMs(med(runs, (run) => run.lastPeer.p50))} | ${formatMs(med(runs, (run) => run.lastPeer.p99))} | ${formatMs(med(runs, (run) => run.lastPeer.max))} | ${formatMs(med(runs, (run) => run.perPeer.p50))} / ${formatMs(med(runs, (run) => run.perPeer.p99))} | ${formatInteger(med(runs, (run) => run.keystrokesPerSecond))} | ${formatInteger(med(runs, (run) => run.opsPerSecond))} | ${formatInteger(med(runs, (run) => run.selectionsReceivedPerSecond))} | ${formatInteger(med(runs, (run) => run.cpu.usPerKeystroke))} | ${med(runs, (run) => run.loop.delayP99).toFixed(1)} / ${med(runs, (run) => run.scheduleLag.p99).toFixed(1)} | ${state.text} |`);
  }
  lines.push('');
  lines.push('Where the time goes (medians): the generator types a keystroke a little after it is due (its timers), the keystroke waits at its client while an earlier operation is unacknowledged, then its frame goes to the server, which acks the sender and sends it on to the peers.');
  lines.push('');
  lines.push('| target | due → typed p50 / p99 ms | due → on the wire p50 / p99 ms (includes the former) | on the wire → own ack p50 / p99 ms | on the wire → last peer p50 / p99 ms |');
  lines.push('|---|---:|---:|---:|---:|');
  const pair = (runs, pick) => `${formatMs(med(runs, (run) => pick(run).p50))} / ${formatMs(med(runs, (run) => pick(run).p99))}`;
  for (const { label, runs } of rows) {
    const echo = label.startsWith('floor');
    lines.push(`| ${label} | ${pair(runs, (run) => run.scheduleLag)} | ${pair(runs, (run) => run.heldAtClient)} | ${pair(runs, (run) => run.frameToAck)} | ${echo ? '–' : pair(runs, (run) => run.frameToLastPeer)} |`);
  }
  lines.push('');
  return invalid;
}

function cpuTable(lines, sections) {
  lines.push('CPU per keystroke in each measured window (medians): each process on the path, in CPU µs per keystroke typed in the window and % of one core, and the path summed; the load generator and the whole machine in % of one core:');
  lines.push('');
  // The orchestrator's proxy only when it was found on a path.
  const columns = CPU_COLUMNS.filter((name) => name !== 'dcp' || sections.some(({ rows }) => rows.some(({ runs }) => runs.some((run) => run.cpu.percent.dcp !== undefined))));
  lines.push(`| workload | target | ${columns.map((name) => (name === 'dcp' ? 'orchestrator proxy (dcp)' : name)).join(' | ')} | path µs per keystroke | path | load generator | generator loop busy | machine |`);
  lines.push(`|---|---|${columns.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|`);
  for (const { workload, rows } of sections) {
    for (const { label, runs } of rows) {
      const cells = columns.map((name) => (runs.some((run) => run.cpu.percent[name] !== undefined)
        ? `${formatInteger(med(runs, (run) => run.cpu.usPerKeystrokeByGroup[name]))} (${percent(med(runs, (run) => run.cpu.percent[name]))})`
        : '–'));
      lines.push(`| ${workload} | ${label} | ${cells.join(' | ')} | **${formatInteger(med(runs, (run) => run.cpu.usPerKeystroke))}** | ${percent(med(runs, (run) => run.cpu.pathPercent))} | ${percent(med(runs, (run) => run.cpu.percent['load generator']))} | ${percent(med(runs, (run) => run.loop.busy))} | ${percent(med(runs, (run) => run.cpu.machinePercent))} |`);
    }
  }
  lines.push('');
}

function rampTable(lines, rows, options) {
  let invalid = false;
  const settings = options.ramp;
  lines.push(`**(c) ramp**: ${settings.docs} documents × ${settings.perDoc} clients (${settings.docs * settings.perDoc} clients), every client's rate ×${settings.factor} a step from ${settings.startRate} keystroke/s (${settings.docs * settings.perDoc * settings.startRate} keystrokes/s), each step ${settings.warmup} s warm-up + ${settings.seconds} s measured + ${settings.tail} s for the last keystrokes; the highest step whose keystroke → last peer p99 ≤ ${settings.p99Limit} ms (medians over the repetitions):`);
  lines.push('');
  lines.push(`| target | sustained keystrokes/s (p99 ≤ ${settings.p99Limit} ms) | ops/s there | p50 / p99 ms there | CPU µs per keystroke there | next step: keystrokes/s, p99 ms | stopped by | |`);
  lines.push('|---|---:|---:|---:|---:|---:|---|---|');
  for (const { label, runs } of rows) {
    const sustained = runs.map((run) => run.sustained);
    const failed = runs.map((run) => (run.steps.length > 0 && !run.steps[run.steps.length - 1].sustained ? run.steps[run.steps.length - 1] : null));
    const pick = (list, selector) => median(list.map((entry) => (entry === null ? NaN : selector(entry))));
    const bad = runs.filter((run) => !run.valid).length;
    invalid ||= bad > 0;
    const state = bad === 0 ? `valid (${runs.length}/${runs.length})` : `**INVALID** (${bad} of ${runs.length}: the generator fell behind before the target; a lower bound)`;
    const stoppedBy = [...new Set(runs.map((run) => run.stoppedBy))].join('; ');
    lines.push(`| ${label} | ${sustained.every((entry) => entry === null) ? 'none' : formatInteger(median(sustained.map((entry) => entry?.keystrokesPerSecond ?? 0)))} | ${formatInteger(pick(sustained, (entry) => entry.opsPerSecond))} | ${formatMs(pick(sustained, (entry) => entry.lastPeer.p50))} / ${formatMs(pick(sustained, (entry) => entry.lastPeer.p99))} | ${formatInteger(pick(sustained, (entry) => entry.cpu.usPerKeystroke))} | ${failed.every((entry) => entry === null) ? '–' : `${formatInteger(pick(failed, (entry) => entry.keystrokesPerSecond))}, ${formatMs(pick(failed, (entry) => entry.lastPeer.p99))}`} | ${stoppedBy} | ${state} |`);
  }
  lines.push('');
  return invalid;
}

// The report, markdown to paste into docs/benchmarks.md; returns whether any figure is invalid.
export function printReport(options, context, results, problems) {
  const lines = [];
  const load = context.loadAverage.map((value) => value.toFixed(2)).join(' ');
  lines.push(`Collaborative editing, open loop — ${context.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${context.commit}, ${context.cores} CPUs, load average at start ${load}${context.quiet ? '' : ' (**≥ 1: started with --force, the machine was not quiet**)'}.`);
  lines.push('');
  lines.push(`- Load generator: CPUs ${context.generator.affinity}${context.generator.pinned ? '' : ` (**not pinned to ${options.generatorCpus}**)`}; under test: CPUs ${options.targetCpus} — ${context.pinning.map((record) => `${record.name} ${record.pinned ? record.after : `**${record.after}**`}${record.pinnedHere ? ' (pinned at the start of the run)' : ''}`).join(', ') || 'no processes found'}.`);
  const phases = options.workloads.filter((workload) => workload !== 'ramp').length > 0 ? `${options.warmup} s warm-up + ${options.seconds} s measured, ` : '';
  lines.push(`- ${phases}${options.repeat} repetition(s), medians; a repetition is INVALID when the load generator's event-loop delay p99, or how late it typed the keystrokes (p99), exceeds ${options.maxLoopDelay} ms.`);
  if (context.postgres) lines.push(`- ShareDB durable: ${options.durableInstances} processes, sharedb-postgres on PostgreSQL ${context.postgres.version} (synchronous_commit ${context.postgres.synchronousCommit}), sharedb-redis-pubsub on a redis-server of its own (append-only, fsync every second).`);
  for (const note of context.notes) lines.push(`- Note: ${note}`);
  lines.push('');

  let invalid = false;
  const sections = [];
  if (options.workloads.includes('rooms')) {
    const rows = byWorkloadAndTarget(results, 'rooms');
    const settings = options.rooms;
    invalid = phaseTable(lines, `**(a) rooms**: ${settings.docs} documents × ${settings.perDoc} clients, ${settings.rate} keystrokes/s each (${settings.docs * settings.perDoc * settings.rate} keystrokes/s offered)${settings.selections ? ', the cursor sent after every keystroke' : ''}:`, rows, options) || invalid;
    sections.push({ workload: 'rooms', rows });
  }
  if (options.workloads.includes('hot')) {
    const rows = byWorkloadAndTarget(results, 'hot');
    const settings = options.hot;
    invalid = phaseTable(lines, `**(b) hot room**: one document, ${settings.perDoc} clients, ${settings.rate} keystrokes/s each (${settings.perDoc * settings.rate} keystrokes/s, each to ${settings.perDoc - 1} peers):`, rows, options) || invalid;
    sections.push({ workload: 'hot', rows });
  }
  if (sections.length > 0) cpuTable(lines, sections);
  if (options.workloads.includes('ramp')) invalid = rampTable(lines, byWorkloadAndTarget(results, 'ramp'), options) || invalid;

  for (const problem of problems) lines.push(`problem: ${problem}`);
  if (problems.length === 0) lines.push('Every keystroke reached every peer, every document converged, no error frames.');
  if (invalid) lines.push('**Some figures are INVALID** (see the last column): the load generator could not keep its schedule.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return { invalid };
}
