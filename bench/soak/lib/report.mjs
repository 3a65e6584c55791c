// The markdown report on stdout, in docs/benchmarks.md's shape: the command's settings and the
// machine, then tables.
import { formatMs } from '../../collab/lib/stats.mjs';
import { isContractError } from './outcomes.mjs';
import { formatElapsed } from './progress.mjs';

const mib = (kib) => (kib / 1024).toFixed(1);
const causes = (object) => Object.entries(object).sort((a, b) => b[1] - a[1]).map(([cause, count]) => `${cause} ×${count}`).join(', ') || '–';
const verdict = (pass) => (pass === null ? 'n/a' : pass ? '**PASS**' : '**FAIL**');

export function printReport(results, options, write = (text) => process.stdout.write(text)) {
  const { context } = results;
  const lines = [];
  const at = (time) => formatElapsed(time - context.origin);
  lines.push(`Soak under faults — ${context.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${context.commit}, ${context.cores} CPUs; 1-minute load average ${context.load.start.toFixed(2)} at the start, ${context.load.end.toFixed(2)} at the end of the load${context.load.afterChecks === undefined ? '' : ` (${context.load.afterChecks.toFixed(2)} after the checks)`}.`);
  lines.push('');
  lines.push(`- ${options.users} users in workspaces of ${options.usersPerWorkspace} (one shared document each), started over ${options.rampSeconds} s, active for ${options.minutes} min in all; each types a marker every ${options.keystrokeMinMs}–${options.keystrokeMaxMs} ms, saves its own file every ~${options.saveSeconds} s, runs python every ~${options.runSeconds} s and browses every ~${options.browseSeconds} s (±50 %); seed ${options.seed}.`);
  lines.push(`- Faults: ${options.faults ? `one every ${options.faultIntervalSeconds} s after the ramp, in rotation (kill -9 of a service instance, Redis, RabbitMQ, the Docker engine restarted)` : 'off'}. An operation not answered (or acknowledged) within ${options.opTimeoutMs / 1000} s is a timeout.`);
  for (const note of context.notes) lines.push(`- Note: ${note}`);
  lines.push('');

  lines.push('| target | measured | |');
  lines.push('|---|---|---|');
  for (const target of results.targets) lines.push(`| ${target.name} | ${target.detail} | ${verdict(target.pass)} |`);
  lines.push('');

  lines.push('Operations by kind (every attempt of a call counts; a retried call shows its failed attempts as errors):');
  lines.push('');
  lines.push('| kind | operations | ok | errors | errors by cause |');
  lines.push('|---|---:|---:|---:|---|');
  for (const [kind, entry] of Object.entries(results.counts).sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`| ${kind} | ${entry.count} | ${entry.ok} | ${entry.count - entry.ok} | ${causes(entry.errors)} |`);
  }
  lines.push('');
  lines.push('| error cause | count | kinds | allowed by the contract during a fault |');
  lines.push('|---|---:|---|---|');
  for (const [cause, entry] of Object.entries(results.errors).sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`| ${cause} | ${entry.count} | ${causes(entry.kinds)} | ${isContractError(cause) ? 'yes' : 'no'} |`);
  }
  lines.push('');
  lines.push(`Collaboration sockets dropped and resumed (expected during faults, not errors): ${results.reconnects.total} (${causes(results.reconnects.byCause)}).`);
  lines.push('');

  const kinds = Object.keys(results.counts).sort();
  lines.push('Latency of the successful operations, p50 / p99 ms per minute (by start):');
  lines.push('');
  lines.push(`| minute | ${kinds.join(' | ')} |`);
  lines.push(`|---:|${kinds.map(() => '---:').join('|')}|`);
  for (const row of results.perMinute) {
    lines.push(`| ${row.minute} | ${kinds.map((kind) => (row.kinds[kind] === undefined ? '–' : `${formatMs(row.kinds[kind].p50)} / ${formatMs(row.kinds[kind].p99)}${row.kinds[kind].failed > 0 ? ` (${row.kinds[kind].failed} failed)` : ''}`)).join(' | ')} |`);
  }
  lines.push('');

  if (options.faults) {
    lines.push(`Faults. **Recovery** is from the fault to the first moment after which every kind of operation that failed since the fault has succeeded again, with no operation of any kind failing for the next ${options.stableMs / 1000} s (nor within ${options.stableMs / 1000} s of the fault's action ending: the instance back, Redis or RabbitMQ started again, \`docker info\` answering); operations count when they end. A fault's window runs from the fault to ${options.stableMs / 1000} s after it recovered (or up to the next fault); its errors are listed by cause, and **flagged** when other than 503/429.`);
    lines.push('');
    lines.push('| at | fault | hit | action over after s | recovery s | errors in window | flagged (not 503/429) | sockets resumed | slowest ok op ms |');
    lines.push('|---|---|---|---:|---:|---|---|---|---|');
    for (const window of results.faults.windows) {
      const fault = window.fault;
      const slowest = Object.entries(window.maxLatency).sort((a, b) => b[1] - a[1])[0];
      lines.push(`| ${at(fault.at)} | ${fault.kind} | ${fault.target ? `${fault.target.name} (${fault.target.pid})` : fault.note} | ${fault.endedAt ? ((fault.endedAt - fault.at) / 1000).toFixed(1) : `never: ${fault.note}`} | ${window.recovery.ms === null ? '**not recovered**' : (window.recovery.ms / 1000).toFixed(1)} | ${causes(window.errors)} | ${causes(window.flagged)} | ${causes(window.reconnects)} | ${slowest ? `${slowest[0]} ${slowest[1].toFixed(0)}` : '–'} |`);
    }
    if (results.faults.windows.length === 0) lines.push('| – | no fault ran | | | | | | | |');
    lines.push('');
  }
  lines.push(`Errors outside fault windows: ${causes(results.faults.outside)}.`);
  lines.push('');

  const samples = results.rss.samples;
  if (samples.length > 0) {
    lines.push(`Resident memory (RSS) of the platform's processes (found as \`./webide stats\` does), MiB; growth is from ${samples[1]?.label ?? '–'} to the end, of processes alive at both:`);
    lines.push('');
    lines.push(`| process | pid | ${samples.map((sample) => sample.label).join(' | ')} | growth |`);
    lines.push(`|---|---:|${samples.map(() => '---:').join('|')}|---:|`);
    const growthOf = new Map((results.rss.growth?.kept ?? []).map((entry) => [entry.pid, entry.growthPercent]));
    const pids = new Map();
    for (const sample of samples) for (const process of sample.processes) pids.set(`${process.pid}:${process.start}`, process);
    for (const [key, process] of [...pids.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
      const cells = samples.map((sample) => {
        const found = sample.processes.find((entry) => `${entry.pid}:${entry.start}` === key);
        return found ? mib(found.rssKiB) : '–';
      });
      const growth = growthOf.get(process.pid);
      lines.push(`| ${process.name} | ${process.pid} | ${cells.join(' | ')} | ${growth === undefined ? '–' : `${growth.toFixed(1)} %`} |`);
    }
    const sums = samples.map((sample) => mib(sample.processes.reduce((total, process) => total + process.rssKiB, 0)));
    const growth = results.rss.growth;
    lines.push(`| **sum** (${samples.map((sample) => sample.processes.length).join(' / ')} processes) | | ${sums.join(' | ')} | ${growth ? `**${growth.growthPercent.toFixed(1)} %** of those alive at both (${mib(growth.sumBeforeKiB)} → ${mib(growth.sumAfterKiB)})` : '–'} |`);
    lines.push('');
    if (growth) {
      lines.push(`Started after ${growth.from} (restarted by faults; new processes, not growth): ${growth.started.map((process) => `${process.name} (${process.pid}) ${mib(process.rssKiB)}`).join(', ') || 'none'}. Grew more than ${growth.limitPercent} % on their own: ${growth.grewOverLimit.map((process) => `${process.name} ${process.growthPercent.toFixed(1)} %`).join(', ') || 'none'}.`);
      lines.push('');
    }
  }

  const { verification } = results;
  lines.push('Verification, after the users stopped and a quiet period:');
  lines.push('');
  const documents = verification.documents;
  const acknowledged = documents.reduce((total, entry) => total + entry.markers.acknowledged, 0);
  const lost = documents.reduce((total, entry) => total + entry.markers.lost.length, 0);
  lines.push(`- Acknowledged edits: **${lost}/${acknowledged} lost** over ${documents.length} documents (each a fresh join's text; ${documents.filter((entry) => entry.fileMatchesDocument).length} of their files caught up with it within 30 s)${lost > 0 ? `; e.g. ${documents.flatMap((entry) => entry.markers.lost).slice(0, 5).join(' ')}` : ''}; duplicated: ${documents.reduce((total, entry) => total + entry.markers.duplicated.length, 0)}; editors with edits never acknowledged when they closed: ${verification.unsettled}.`);
  for (const entry of documents.filter((candidate) => candidate.read !== 'fresh join')) lines.push(`  - ${entry.workspace}: read ${entry.read}${entry.problem ? ` (${entry.problem})` : ''}`);
  lines.push(`- Saved files: **${verification.saves.failed.length}/${verification.saves.checked} not as last acknowledged**${verification.saves.failed.length > 0 ? ` (${verification.saves.failed.slice(0, 5).map((entry) => `${entry.path}: ${entry.verdict}`).join('; ')})` : ''}.`);
  if (verification.containers) {
    const containers = verification.containers;
    const sizing = containers.sizing;
    lines.push(containers.error
      ? `- Sandbox containers: could not be listed (${containers.error}).`
      : `- Sandbox containers of ${containers.installation} after ${options.containerGraceSeconds} s: ${containers.total} (${causes(containers.byState)}); the warm pools hold at most ${containers.bound}${sizing ? ` (${sizing.executions} execution instance(s) × ${sizing.languages} languages × ${sizing.maxSize}; idle they aim at ${sizing.idleTarget})` : ''}${containers.notRunning.length > 0 ? `; not running: ${containers.notRunning.slice(0, 5).map((entry) => `${entry.id} ${entry.status}`).join(', ')}` : ''}.`);
  }
  if (verification.processes) {
    const processes = verification.processes;
    lines.push(`- Processes: ${processes.orphans.length} new orphans (parent PID 1)${processes.orphans.length > 0 ? `: ${processes.orphans.map((entry) => `${entry.name} (${entry.pid})`).join(', ')}` : ''}; ${processes.duplicates.length} instances running twice${processes.duplicates.length > 0 ? `: ${processes.duplicates.map((entry) => `${entry.instance} (${entry.pids.join(', ')})`).join(', ')}` : ''}.`);
  }
  if (results.violations.length > 0) lines.push(`- Protocol violations seen by the editors: ${results.violations.length} (first: ${results.violations[0]}).`);
  if (results.users.problems.length > 0) lines.push(`- Users with a problem: ${results.users.problems.length} (first: ${results.users.problems[0].user}, ${results.users.problems[0].state}: ${results.users.problems[0].problem}).`);
  lines.push('');
  write(`${lines.join('\n')}\n`);
}
