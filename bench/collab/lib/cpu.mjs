import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// Where the CPU goes during a phase: user+system time, read from /proc before and after (Linux
// only; elsewhere the figures are simply missing), of the processes of the platform under test
// (told apart from other platforms on the machine by their working folder under its root), the
// ShareDB server, this load generator, and the whole machine. In % of one core over the phase.
let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // keep the usual 100
}

const cwdOf = (pid) => readlinkSync(`/proc/${pid}/cwd`);

function parentOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function groupOf(pid, platformRoot) {
  if (pid === process.pid) return 'load generator';
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  if (/sharedb-server\.mjs/.test(cmdline)) return 'ShareDB server';
  if (platformRoot === null) return null;
  const under = (folder) => folder.startsWith(`${platformRoot}/`);
  if (/WebIde\.Gateway/.test(cmdline) && under(cwdOf(pid))) return 'gateway';
  if (/WebIde\.Collaboration/.test(cmdline) && under(cwdOf(pid))) return 'collaboration';
  if (/redis-server/.test(cmdline) && under(cwdOf(pid))) return 'redis';
  // Aspire's orchestrator: its controllers proxy each service's endpoint to the replicas
  // (gateway → dcp → collaboration), and it starts the dashboard, which takes the telemetry.
  if (/\/dcp run-controllers/.test(cmdline) && under(cwdOf(pid))) return 'orchestrator proxy (dcp)';
  if (/Aspire\.Dashboard/.test(cmdline) && under(cwdOf(parentOf(pid)))) return 'dashboard';
  return null;
}

function snapshot(platformRoot) {
  const byProcess = new Map();
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const group = groupOf(Number(pid), platformRoot);
      if (group === null) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byProcess.set(`${group}:${pid}`, Number(fields[11]) + Number(fields[12])); // utime, stime
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  try {
    // The machine: every core's busy time (all but idle and iowait).
    const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const numbers = times.map(Number);
    byProcess.set('machine:0', numbers.reduce((sum, value) => sum + value, 0) - numbers[3] - numbers[4]);
  } catch {
    // no machine total
  }
  return byProcess;
}

export function startCpuWatch(platformRoot) {
  const before = snapshot(platformRoot);
  const startedAt = process.hrtime.bigint();
  return () => {
    const after = snapshot(platformRoot);
    if (before === null || after === null) return {};
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const percent = {};
    for (const [key, ticks] of after) {
      const group = key.slice(0, key.lastIndexOf(':'));
      const used = ticks - (before.get(key) ?? ticks);
      percent[group] = (percent[group] ?? 0) + (100 * used) / ticksPerSecond / seconds;
    }
    for (const group of Object.keys(percent)) percent[group] = Math.round(percent[group]);
    return percent;
  };
}
