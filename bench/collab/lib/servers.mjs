// The processes the benchmark starts itself for the ShareDB targets, each pinned with taskset to
// the CPUs under test: ShareDB servers (sharedb-server.mjs), and for the durable one a Redis of
// its own. PostgreSQL is the machine's (postgres-setup.sh); the schema is made here.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentOf } from './proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// A child process under `taskset -c cpus` (the pid is the program's: taskset execs it; cpus
// null: as it comes, with this process's affinity), stopped with SIGTERM at the end (SIGKILL
// after 5 s) and when this process exits.
function startPinned(command, args, cpus, { name, ready, timeoutMs = 15000 }) {
  const child = cpus === null
    ? spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('taskset', ['-c', cpus, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
  process.on('exit', stop);
  let output = '';
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s: ${output.slice(-500)}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const value = ready(output);
      if (value !== null && value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}): ${output.slice(-500)}`));
    });
  });
  return {
    child,
    started,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// sharedb-server.mjs on `port` (0: any); durable with { pgUrl, redisUrl, synchronousCommit }.
export async function startShareDbServer({ port, cpus, durable = null, name = 'ShareDB server' }) {
  const args = [join(here, '..', 'sharedb-server.mjs'), '--port', String(port)];
  if (durable !== null) args.push('--pg', durable.pgUrl, '--redis', durable.redisUrl, '--synchronous-commit', durable.synchronousCommit);
  const server = startPinned(process.execPath, args, cpus, { name, ready: (output) => /listening (\d+)/.exec(output)?.[1] });
  const listening = Number(await server.started);
  // Its output after start (errors) goes to ours.
  server.child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  return { name, pid: server.child.pid, url: `ws://127.0.0.1:${listening}`, port: listening, stop: server.stop };
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// Debian's redis-server as WebIde's AppHost runs it (append-only file, fsync every second, no
// RDB snapshots), in a temporary folder, on `port`.
export async function startRedis({ port, cpus }) {
  const folder = mkdtempSync(join(tmpdir(), 'collab-bench-redis-'));
  const redis = startPinned('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--appendonly', 'yes', '--save', ''], cpus, {
    name: 'redis-server',
    ready: (output) => (/Ready to accept connections/.test(output) ? true : null),
  });
  await redis.started;
  if (!(await ping(port))) throw new Error(`redis-server on ${port} does not answer PING`);
  return {
    pid: redis.child.pid,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await redis.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

// sharedb-postgres's tables (its structure.sql), made afresh: every run starts from no documents.
// Returns the server's pid (the postmaster: its backends are its children) and settings.
export async function preparePostgres(pgUrl) {
  const pg = require('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${pgUrl.replace(/:[^:@/]*@/, ':…@')} refused: ${error.message} (run bench/collab/postgres-setup.sh, or pass --pg-url)`);
  }
  try {
    // structure.sql is a migration script (it adds a column), not idempotent: start from nothing.
    const structure = readFileSync(require.resolve('sharedb-postgres/structure.sql'), 'utf8');
    await client.query('DROP TABLE IF EXISTS ops, snapshots');
    await client.query(structure);
    const { rows } = await client.query(`SELECT pg_backend_pid() AS backend, current_setting('server_version') AS version`);
    // The postmaster: this session's backend is its child (local servers only).
    return { pid: parentOf(rows[0].backend), version: rows[0].version };
  } finally {
    await client.end();
  }
}
