// Where the CPU goes while a collaboration workload runs: starts bench/collab/run.mjs with the
// arguments after `--`, waits for its measured window, and samples the target CPU with `perf`
// (cpu-clock, call stacks) and its socket system calls, then prints per process its share of the
// CPU, the kernel's part of it, its system calls that send and receive a second, and its hottest frames.
// docs/benchmarks.md ("Collaboration", "Where the CPU goes") says how to read it.
//
//   node bench/collab/profile.mjs [--cpu 1] [--perf-cpus 0] [--delay 20] [--seconds 20] [--top 8] [--out DIR] -- <run.mjs options>
//
// Managed frames have names only when the .NET processes write perf maps: start the platform
// with DOTNET_PerfMapEnabled=1 in its environment (the services inherit it). Needs root and
// `perf` (Debian's linux-perf). Exit code: that of run.mjs, or 1 when perf could not record.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { affinityOf, allPids, commandLine, sameCpus } from './lib/proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split >= 0 ? argv.slice(0, split) : argv;
const forwarded = split >= 0 ? argv.slice(split + 1) : [];

function option(name, fallback) {
  const index = own.indexOf(`--${name}`);
  return index >= 0 && index + 1 < own.length ? own[index + 1] : fallback;
}

if (own.includes('--help') || own.includes('-h')) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 10).map((line) => line.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

const cpu = option('cpu', '1');
const delay = Number(option('delay', '20'));
const seconds = Number(option('seconds', '20'));
const top = Number(option('top', '8'));
const out = option('out', '/tmp/collab-profile');
const perfCpus = option('perf-cpus', '0');
if (!/^\d+$/.test(cpu) || !(delay >= 0) || !(seconds > 0) || !(top > 0)) {
  process.stderr.write('profile: --cpu N, --delay S, --seconds S and --top N take numbers\n');
  process.exit(2);
}
if (spawnSync('perf', ['--version']).status !== 0) {
  process.stderr.write('profile: perf is not installed (apt-get install linux-perf)\n');
  process.exit(1);
}
mkdirSync(out, { recursive: true });

// Thread id → process id, for the threads of the processes whose system calls are counted.
const threadGroups = new Map();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const run = spawn(process.execPath, [join(here, 'run.mjs'), ...forwarded], { stdio: ['ignore', 'pipe', 'inherit'] });
let report = '';
run.stdout.on('data', (chunk) => { report += chunk; });
const ended = new Promise((resolve) => run.once('exit', (code) => resolve(code ?? 1)));

// The measured window starts after run.mjs's set-up and warm-up: --delay says when.
process.stderr.write(`profile: recording CPU ${cpu} for ${seconds} s, ${delay} s from now\n`);
const early = await Promise.race([sleep(delay * 1000).then(() => null), ended]);
if (early !== null) {
  process.stdout.write(report);
  process.stderr.write('profile: the benchmark ended before the recording began\n');
  process.exit(early || 1);
}

const stacks = join(out, 'cpu.data');
// .NET sends on sockets with sendto and receives with recvfrom; Node writes with writev and write
// and reads with read (which .NET also uses for its wake-up events, and everyone for files).
const socketCalls = ['sendto', 'sendmsg', 'write', 'writev', 'recvfrom', 'recvmsg', 'read', 'epoll_wait'];
const pinned = pinnedTo(cpu);
const capture = (args) => new Promise((resolve) => {
  // perf itself on the load generator's CPU, so that it is not in what it measures.
  const child = spawn('taskset', ['-c', perfCpus, 'perf', ...args, '--', 'sleep', String(seconds)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  child.once('exit', (code) => resolve({ failure: code === 0 ? null : errors.trim().split('\n').pop() || `perf exited ${code}`, output: errors }));
});
// Samples with their stacks; the socket calls only counted (recording each one would cost the
// processes more than counting does, and show up in the samples).
const [sampled, counted] = await Promise.all([
  capture(['record', '-q', '-e', 'cpu-clock', '-F', '499', '-g', '-C', cpu, '-o', stacks]),
  capture(['stat', '--per-thread', '-x', ';', '-e', socketCalls.map((name) => `syscalls:sys_enter_${name}`).join(','), '-p', pinned.join(',')]),
]);
// Without the counts (a process that ended as perf attached) the samples still tell most.
const failures = [sampled.failure].filter(Boolean);
const countsMissing = pinned.length === 0 || counted.failure !== null;
// Names of the processes now, while they run (a process's threads carry their own names).
const names = processNames();
const code = await ended;
process.stdout.write(report);
if (failures.length > 0) {
  process.stderr.write(`profile: perf could not record: ${failures.join('; ')}\n`);
  process.exit(1);
}
process.stdout.write(summarise());
process.exit(code);

// The processes allowed on the target CPU only (the platform under taskset, the ShareDB servers),
// and which process each of their threads belongs to.
function pinnedTo(target) {
  const pids = [];
  for (const pid of allPids()) {
    if (!sameCpus(affinityOf(pid), target)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      // Not kernel threads (no VmSize), and not short-lived helpers, which perf stat could not attach to once gone.
      if (!/^VmSize:/m.test(status) || /^Name:\s*(bash|sh|dash|sleep|taskset|timeout|cat)\s*$/m.test(status)) continue;
      for (const thread of readdirSync(`/proc/${pid}/task`)) threadGroups.set(Number(thread), pid);
      pids.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function processNames() {
  const names = new Map([[0, 'idle']]);
  for (const pid of allPids()) {
    try {
      names.set(pid, describe(commandLine(pid).split(' ').filter(Boolean), readFileSync(`/proc/${pid}/comm`, 'utf8').trim()));
    } catch {
      // gone meanwhile
    }
  }
  return names;
}

function describe(command, comm) {
  const joined = command.join(' ');
  if (/sharedb-server\.mjs/.test(joined)) return 'ShareDB server';
  if (/bench\/collab|lib\/main\.mjs|run\.mjs/.test(joined)) return 'load generator';
  if (comm === 'beam.smp') return 'RabbitMQ';
  if (comm.startsWith('redis-server')) return `redis (${command[1] ?? ''})`;
  if (comm === 'postgres') return 'PostgreSQL';
  const webide = /WebIde\.(\w+)/.exec(command[0] ?? '');
  if (webide) return webide[1];
  return comm || command[0] || '?';
}

function perfScript(file, fields, extra = []) {
  const result = spawnSync('perf', ['script', '-i', file, '-F', fields, ...extra], { maxBuffer: 1 << 30, encoding: 'utf8' });
  return result.stdout ?? '';
}

function shorten(symbol, dso) {
  if (!symbol || symbol === '[unknown]' || /^0x/.test(symbol)) return dso ? `(${dso.split('/').pop()})` : '(unknown)';
  // "instance void [Assembly] Namespace.Type+<Method>d__12::MoveNext()[OptimizedTier1]" → "Type.Method"
  const managed = /([\w`]+)(?:\+<([\w]+)>[\w_]+)?(?:`\d+)?(?:\[[^\]]*\])?::([\w<>.|`]+)\(/.exec(symbol);
  if (managed) return managed[2] ? `${managed[1]}.${managed[2]}` : `${managed[1]}::${managed[3]}`;
  return symbol.length > 60 ? `${symbol.slice(0, 57)}…` : symbol;
}

function summarise() {
  // One block a sample: "pid" line, then the leaf frame (with --max-stack 1).
  const perProcess = new Map();
  let total = 0;
  let pid = null;
  for (const line of perfScript(stacks, 'pid,ip,sym,dso', ['--max-stack', '1']).split('\n')) {
    const head = /^\s*(\d+)\s*$/.exec(line);
    if (head) { pid = Number(head[1]); continue; }
    const frame = /^\s*[0-9a-f]+ (.*) \((.*)\)\s*$/.exec(line);
    if (!frame || pid === null) continue;
    const [, symbol, dso] = frame;
    total += 1;
    const entry = perProcess.get(pid) ?? { samples: 0, kernel: 0, frames: new Map() };
    entry.samples += 1;
    const kernel = dso.includes('kernel');
    if (kernel) entry.kernel += 1;
    const name = (kernel ? '[k] ' : '') + shorten(symbol, dso);
    entry.frames.set(name, (entry.frames.get(name) ?? 0) + 1);
    perProcess.set(pid, entry);
    pid = null;
  }
  // perf stat --per-thread -x ';': "name-tid;count;;event;…", a line per thread and event.
  const callsPer = new Map();
  for (const line of counted.output.split('\n')) {
    const match = /^.*-(\d+);(\d+);[^;]*;syscalls:sys_enter_(\w+)/.exec(line);
    if (!match) continue;
    const processId = threadGroups.get(Number(match[1])) ?? Number(match[1]);
    const counts = callsPer.get(processId) ?? {};
    counts[match[3]] = (counts[match[3]] ?? 0) + Number(match[2]);
    callsPer.set(processId, counts);
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const hz = total / seconds;
  const rows = [...perProcess.entries()].sort((a, b) => b[1].samples - a[1].samples).filter(([, entry]) => entry.samples / total >= 0.005);
  const perSecond = (counts, ...keys) => Math.round(keys.reduce((sum, key) => sum + (counts?.[key] ?? 0), 0) / seconds);
  let text = `\n### Where the CPU goes: CPU ${cpu}, ${seconds} s, ${total} samples (${hz.toFixed(0)} a second; 499 is a busy core), load average now ${load}\n\n`;
  text += '| process | pid | share of the CPU | of which in the kernel | sends/s (send, write) | receives/s (recv, read) | epoll waits/s |\n|---|---:|---:|---:|---:|---:|---:|\n';
  for (const [processId, entry] of rows) {
    const counts = callsPer.get(processId);
    text += `| ${names.get(processId) ?? '?'} | ${processId} | ${(100 * entry.samples / (seconds * 499)).toFixed(1)} % | ${(100 * entry.kernel / entry.samples).toFixed(0)} % | ${perSecond(counts, 'sendto', 'sendmsg')} + ${perSecond(counts, 'write', 'writev')} | ${perSecond(counts, 'recvfrom', 'recvmsg')} + ${perSecond(counts, 'read')} | ${perSecond(counts, 'epoll_wait')} |\n`;
  }
  text += `\nHottest frames (self time, share of the process's samples), for each process over 5 % of the CPU:\n`;
  for (const [processId, entry] of rows.filter(([, e]) => e.samples / (seconds * 499) >= 0.05)) {
    const frames = [...entry.frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, count]) => `${name} ${(100 * count / entry.samples).toFixed(1)} %`);
    text += `- **${names.get(processId) ?? '?'}** (${processId}): ${frames.join('; ')}\n`;
  }
  text += `\n${countsMissing ? `System calls not counted (${counted.failure ?? 'no process pinned to the CPU'}).` : `System calls counted for the ${pinned.length} processes pinned to CPU ${cpu} only.`} Recording: ${stacks} (\`perf report -i ${stacks} --pid PID\`).\n`;
  return text;
}
