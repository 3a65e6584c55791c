// Linux /proc helpers: who listens on a port, a process's environment and children, CPU
// affinity (read and set with taskset), and CPU time (utime + stime). Everything here is
// best-effort: a process that is gone, or not ours to read, is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // keep the usual 100
}
export const TICKS_PER_SECOND = ticksPerSecond;

const numericEntries = (folder) => {
  try {
    return readdirSync(folder).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
};

export const allPids = () => numericEntries('/proc');

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command, which is in parentheses and may hold spaces: [0] is the state.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function parentOf(pid) {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return null;
  }
}

// The session a process belongs to (the orchestrator starts its processes in sessions of their own).
export function sessionOf(pid) {
  try {
    return Number(statFields(pid)[3]);
  } catch {
    return null;
  }
}

// When the process started, in clock ticks after boot: with the pid, it tells a process from a
// later one that was given the same pid.
export function startTicksOf(pid) {
  try {
    return Number(statFields(pid)[19]);
  } catch {
    return null;
  }
}

// Resident memory in KiB (VmRSS), or null when the process is gone.
export function rssKiB(pid) {
  try {
    const match = /^VmRSS:\s*(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]); // a zombie has no VmRSS line
  } catch {
    return null;
  }
}

export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

export function workingFolder(pid) {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

export function environmentOf(pid) {
  const variables = {};
  try {
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const at = entry.indexOf('=');
      if (at > 0) variables[entry.slice(0, at)] = entry.slice(at + 1);
    }
  } catch {
    // not ours to read
  }
  return variables;
}

// Every process below `pid` (children, their children, …), from one scan of /proc.
export function descendantsOf(pid) {
  const children = new Map();
  for (const candidate of allPids()) {
    const parent = parentOf(candidate);
    if (parent === null) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(candidate);
  }
  const found = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift();
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

// The pid of the process listening on TCP `port` (IPv4 or IPv6), or null.
export function pidListeningOn(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A') continue; // 0A: LISTEN
      const localPort = parseInt(fields[1].split(':')[1], 16);
      if (localPort === port) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of allPids()) {
    let descriptors;
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match && inodes.has(match[1])) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

// CPU affinity as the kernel prints it ("0", "1", "0-1"), of the process or of one thread.
export function affinityOf(pid, thread = null) {
  try {
    const status = readFileSync(thread === null ? `/proc/${pid}/status` : `/proc/${pid}/task/${thread}/status`, 'utf8');
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '?';
  } catch {
    return '?';
  }
}

// The affinity of every thread of the process; one entry when they all agree.
export function threadAffinities(pid) {
  const lists = new Set(numericEntries(`/proc/${pid}/task`).map((thread) => affinityOf(pid, thread)));
  return [...lists].sort();
}

// "0-2,5" → [0, 1, 2, 5]
export function parseCpuList(list) {
  const cpus = new Set();
  for (const part of String(list).split(',').map((piece) => piece.trim()).filter(Boolean)) {
    const [from, to] = part.split('-').map(Number);
    if (!Number.isInteger(from)) continue;
    for (let cpu = from; cpu <= (Number.isInteger(to) ? to : from); cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

export const sameCpus = (a, b) => parseCpuList(a).join(',') === parseCpuList(b).join(',');

// Pins every thread of `pid` (later threads inherit it) with taskset; returns what it then has.
export function pin(pid, cpus) {
  const result = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) return { ok: false, error: (result.stderr || result.error?.message || '').trim(), affinity: affinityOf(pid) };
  const after = threadAffinities(pid);
  return { ok: after.length === 1 && sameCpus(after[0], cpus), affinity: after.join(' / ') };
}

// utime + stime of the process (all its threads), and cutime + cstime: the children it has
// waited for (a PostgreSQL backend that ended during the window is counted there).
export function cpuTicks(pid) {
  try {
    const fields = statFields(pid);
    return { own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

// Every core's busy time (all but idle and iowait), in ticks.
export function machineTicks() {
  try {
    const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const numbers = times.map(Number);
    return numbers.reduce((sum, value) => sum + value, 0) - numbers[3] - numbers[4];
  } catch {
    return null;
  }
}
