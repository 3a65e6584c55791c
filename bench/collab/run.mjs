// Collaborative-editing benchmark: WebIde against ShareDB, beside a raw WebSocket echo through
// WebIde's gateway (the floor), all driven by the same load generator in one run.
//
//   node bench/collab/run.mjs [--url http://127.0.0.1:8080] [--seconds 15] [--warmup 2]
//     [--clients 50] [--rate 10] [--docs 100] [--per-doc 2] [--users 10]
//     [--targets echo,echo-fanout,sharedb,webide] [--wait 600 (s for the gateway's /health)]
//     [--platform-dir DIR (the checkout running the platform; default: this one, for CPU figures)]
//     [--socket-url URL (diagnostics: WebSockets to one collaboration instance directly)]
//
// Needs a running platform (`./webide up`). Installs its own dependencies (npm ci) when missing.
// Starts its own ShareDB server as a child process and stops it at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Idempotent: install from the lock file when node_modules is missing or older than the lock.
function ensureDependencies() {
  const installed = join(here, 'node_modules', '.package-lock.json');
  const lock = join(here, 'package-lock.json');
  if (existsSync(installed)) {
    const want = JSON.parse(readFileSync(lock, 'utf8')).packages;
    const have = JSON.parse(readFileSync(installed, 'utf8')).packages;
    const stale = Object.entries(want).some(([path, entry]) => path !== '' && have[path]?.version !== entry.version);
    if (!stale) return;
  }
  process.stderr.write('bench/collab: installing dependencies (npm ci)…\n');
  const result = spawnSync('npm', ['ci', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('bench/collab: npm ci failed\n');
    process.exit(1);
  }
}

ensureDependencies();
const { main } = await import('./lib/main.mjs');
// Exit explicitly: after a failure mid-phase, open client sockets would otherwise keep us alive.
process.exit(await main(process.argv.slice(2)));
