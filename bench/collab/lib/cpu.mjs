import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Where the CPU goes during a phase: user+system time of the processes whose command line
// matches each group's pattern, read from /proc before and after (Linux only; elsewhere the
// figures are simply missing). Reported as % of one core over the phase.
const GROUPS = [
  ['gateway', /WebIde\.Gateway/],
  ['collaboration', /WebIde\.Collaboration/],
  ['redis', /redis-server/],
  ['ShareDB server', /sharedb-server\.mjs/],
];

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // keep the usual 100
}

function processTicks() {
  const byGroup = new Map();
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const group = Number(pid) === process.pid ? ['load generator'] : GROUPS.find(([, pattern]) => pattern.test(cmdline));
      if (!group) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
      byGroup.set(`${group[0]}:${pid}`, ticks);
    } catch {
      // the process ended meanwhile
    }
  }
  return byGroup;
}

export function startCpuWatch() {
  const before = processTicks();
  const startedAt = process.hrtime.bigint();
  return () => {
    const after = processTicks();
    if (before === null || after === null) return {};
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const totals = {};
    for (const [key, ticks] of after) {
      const group = key.slice(0, key.lastIndexOf(':'));
      const used = ticks - (before.get(key) ?? ticks);
      totals[group] = (totals[group] ?? 0) + used / ticksPerSecond;
    }
    const percent = {};
    for (const [group, cpuSeconds] of Object.entries(totals)) percent[group] = Math.round((100 * cpuSeconds) / seconds);
    return percent;
  };
}
