// Collaborative-editing benchmark, open loop: WebIde (through the gateway and on its
// collaboration instances directly) against ShareDB (in memory directly and through the same
// gateway, and durable on PostgreSQL with Redis pub/sub), beside a WebSocket echo (the floor),
// all driven by one load generator pinned to its own CPU. docs/benchmarks.md ("Collaboration")
// says what it measures and how to run it; `node bench/collab/run.mjs --help` lists the options.
//
// Installs its own dependencies (npm ci, from the lock file) when missing or stale. Runs itself
// again under `taskset -c <generator CPUs>` (0) unless already there or --no-pin; starts its
// ShareDB servers and Redis under `taskset -c <target CPUs>` (1) and pins the platform's
// processes on the path there too. Exit code: 0 all good; 1 failed; 2 bad options; 3 a keystroke
// missing, a document not converged or an error frame; 4 a figure INVALID (the generator's
// event-loop delay) or a process not where it should be; 5 the machine was not quiet.
import { spawn, spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

// Idempotent: install from the lock file when node_modules is missing or older than the lock.
function ensureDependencies() {
  const installed = join(here, 'node_modules', '.package-lock.json');
  const lock = join(here, 'package-lock.json');
  if (existsSync(installed)) {
    const want = JSON.parse(readFileSync(lock, 'utf8')).packages;
    const have = JSON.parse(readFileSync(installed, 'utf8')).packages;
    const stale = Object.entries(want).some(([path, entry]) => path !== '' && !entry.optional && have[path]?.version !== entry.version);
    if (!stale) return;
  }
  process.stderr.write('bench/collab: installing dependencies (npm ci)…\n');
  const result = spawnSync('npm', ['ci', '--prefix', here, '--no-audit', '--no-fund', '--prefer-offline'], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('bench/collab: npm ci failed\n');
    process.exit(1);
  }
}

// The load generator on its own CPU(s): run this script again under taskset, once.
function optionValue(name, fallback) {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
}

function currentAffinity() {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

if (!args.includes('--no-pin') && !args.includes('--help') && !args.includes('-h') && process.env.COLLAB_BENCH_PINNED === undefined) {
  const cpus = optionValue('generator-cpus', '0');
  if (currentAffinity() !== cpus) {
    const child = spawn('taskset', ['-c', cpus, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      stdio: 'inherit',
      env: { ...process.env, COLLAB_BENCH_PINNED: cpus },
    });
    // Signals go to the pinned run, which stops what it started and ends; so do we, as it did.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    const [code, signal] = await new Promise((resolve) => {
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
      child.once('error', (error) => resolve([null, null, error]));
    });
    if (code !== null) process.exit(code);
    if (signal !== null) process.exit(128 + (osConstants.signals[signal] ?? 0));
    process.stderr.write('bench/collab: could not run under taskset; going on unpinned (the report says so)\n');
  }
}

ensureDependencies();
const { main } = await import('./lib/main.mjs');
// Exit explicitly: after a failure mid-phase, open client sockets would otherwise keep us alive.
process.exit(await main(args));
