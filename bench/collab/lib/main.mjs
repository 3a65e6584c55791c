import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { echoTarget } from './echo.mjs';
import { latencyPhase, throughputPhase } from './phases.mjs';
import { shareDbTarget } from './sharedb.mjs';
import { formatMs } from './stats.mjs';
import { preparePlatform, webIdeTarget } from './webide.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TARGETS = ['echo', 'echo-fanout', 'sharedb', 'webide'];

function parseOptions(args) {
  const value = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
  };
  const number = (name, fallback) => {
    const parsed = Number(value(name, fallback));
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const targets = value('targets', TARGETS.join(',')).split(',').filter(Boolean);
  for (const target of targets) if (!TARGETS.includes(target)) throw new Error(`unknown target ${target} (${TARGETS.join(', ')})`);
  return {
    url: value('url', 'http://127.0.0.1:8080'),
    // Diagnostics only: open WebIde's and the echo's sockets here instead (e.g. one collaboration
    // instance directly, bypassing the gateway and the orchestrator's proxy); REST stays on --url.
    socketUrl: value('socket-url', null),
    seconds: number('seconds', 15),
    warmup: number('warmup', 2),
    clients: number('clients', 50),
    rate: number('rate', 10),
    docs: number('docs', 100),
    perDoc: number('per-doc', 2),
    users: number('users', 10),
    wait: number('wait', 600),
    // The platform's checkout, to tell its processes from other platforms' on the same machine.
    platformRoot: resolve(value('platform-dir', join(here, '..', '..', '..'))),
    targets,
  };
}

// The ShareDB server, a child process on a port of its own; resolves once it listens.
async function startShareDb() {
  const child = spawn(process.execPath, [join(here, '..', 'sharedb-server.mjs'), '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const stop = () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
  process.on('exit', stop);
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the ShareDB server did not listen within 15 s')), 15000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ShareDB server exited with ${code}`));
    });
  });
  return {
    url: `ws://127.0.0.1:${port}`,
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

// The gateway answers /health with 200 once every service is healthy.
async function waitForGateway(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

function log(message) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function describeProblems(name, phase, result) {
  const lines = [];
  if (!result.drained) lines.push(`${name} ${phase}: not every keystroke was delivered and acknowledged within the deadline (${result.incomplete ?? '?'} keystrokes incomplete)`);
  else if (!result.converged) lines.push(`${name} ${phase}: the clients did not converge to the same text`);
  if (result.errors.length > 0) lines.push(`${name} ${phase}: ${result.errors.length} errors, first: ${result.errors.slice(0, 3).join(' | ')}`);
  if (result.anomalies.length > 0) lines.push(`${name} ${phase}: ${result.anomalies.length} protocol anomalies, first: ${result.anomalies.slice(0, 3).join(' | ')}`);
  return lines;
}

export async function main(args) {
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const latencyPath = 'latency.txt';
  const paths = Array.from({ length: options.docs }, (_, index) => `doc-${String(index).padStart(3, '0')}.txt`);
  const results = [];
  const notes = [];
  let shareDb = null;
  try {
    const needsPlatform = options.targets.some((target) => target !== 'sharedb');
    let platform = null;
    if (needsPlatform) {
      log(`waiting up to ${options.wait} s for ${options.url}/health`);
      await waitForGateway(options.url, options.wait * 1000);
      log(`preparing ${options.users} users, a workspace and ${paths.length + 1} files at ${options.url}`);
      platform = await preparePlatform(options.url, { users: options.users, paths: [latencyPath, ...paths] });
    }
    const targets = [];
    for (const name of options.targets) {
      const socketBase = options.socketUrl ?? options.url;
      if (name === 'echo') targets.push(echoTarget(socketBase, platform));
      if (name === 'echo-fanout') targets.push(echoTarget(socketBase, platform, { fanOut: true }));
      if (name === 'sharedb') {
        shareDb = await startShareDb();
        const target = shareDbTarget(shareDb.url);
        await target.prepare([latencyPath, ...paths]);
        targets.push(target);
      }
      if (name === 'webide') targets.push(webIdeTarget(socketBase, platform));
    }
    for (const target of targets) {
      log(`${target.name}: latency, ${options.clients} clients on one document at ${options.rate} keystrokes/s each, ${options.warmup} s warm-up + ${options.seconds} s`);
      const latency = await latencyPhase(target, { clients: options.clients, rate: options.rate, seconds: options.seconds, warmup: options.warmup, path: latencyPath, platformRoot: options.platformRoot });
      notes.push(...describeProblems(target.name, 'latency', latency));
      let throughput = null;
      if (target.name !== 'echo, fanned out') {
        log(`${target.name}: throughput, ${options.docs} documents × ${options.perDoc} clients, one operation in flight each, ${options.warmup} s warm-up + ${options.seconds} s`);
        throughput = await throughputPhase(target, { docs: options.docs, perDoc: options.perDoc, seconds: options.seconds, warmup: options.warmup, paths, platformRoot: options.platformRoot });
        notes.push(...describeProblems(target.name, 'throughput', throughput));
      }
      results.push({ name: target.name, latency, throughput });
      log(`${target.name}: done`);
    }
  } catch (error) {
    log(`failed: ${error.stack ?? error}`);
    return 1;
  } finally {
    await shareDb?.stop();
  }
  printReport(options, results, notes);
  return notes.length === 0 ? 0 : 3;
}

function printReport(options, results, notes) {
  const byName = Object.fromEntries(results.map((result) => [result.name, result]));
  const lines = [];
  lines.push(`Collaborative editing, ${new Date().toISOString()}, ${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
  if (options.socketUrl) lines.push(`sockets opened at ${options.socketUrl} (not through ${options.url})`);
  lines.push(`latency: ${options.clients} clients on one document, ${options.rate} keystrokes/s each (jittered ±50 %), ${options.seconds} s measured; throughput: ${options.docs} documents × ${options.perDoc} clients, one op in flight each, ${options.seconds} s`);
  lines.push('');
  lines.push(`| target | last peer p50 ms | p99 ms | max ms | each peer p50 ms | p99 ms | keystrokes | ops/s, ${options.docs} docs | op→peer p50 / p99 ms at that load |`);
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { name, latency, throughput } of results) {
    const isEcho = name.startsWith('echo');
    const label = name === 'echo' ? 'floor: echo through the gateway (round trip)' : name === 'echo, fanned out' ? 'reference: echo, one frame per peer (last echo back)' : name;
    const each = isEcho && name === 'echo' ? ['–', '–'] : [formatMs(latency.perPeer.p50), formatMs(latency.perPeer.p99)];
    lines.push(`| ${label} | ${formatMs(latency.toLastPeer.p50)} | ${formatMs(latency.toLastPeer.p99)} | ${formatMs(latency.toLastPeer.max)} | ${each[0]} | ${each[1]} | ${latency.keystrokes} | ${throughput ? Math.round(throughput.opsPerSecond) : '–'} | ${throughput ? `${formatMs(throughput.perPeer.p50)} / ${formatMs(throughput.perPeer.p99)}` : '–'} |`);
  }
  const webIde = byName.WebIde;
  const shareDb = byName.ShareDB;
  lines.push('');
  if (webIde) {
    const p99 = webIde.latency.toLastPeer.p99;
    lines.push(`WebIde keystroke→last peer p99: ${formatMs(p99)} ms (target ≤ 30 ms: ${p99 <= 30 ? 'met' : 'missed'})`);
  }
  if (webIde?.throughput && shareDb?.throughput) {
    const ratio = webIde.throughput.opsPerSecond / shareDb.throughput.opsPerSecond;
    lines.push(`WebIde/ShareDB throughput: ${ratio.toFixed(2)}× (target ≥ 2×: ${ratio >= 2 ? 'met' : 'missed'})`);
    const p50Ratio = webIde.latency.toLastPeer.p50 / shareDb.latency.toLastPeer.p50;
    lines.push(`WebIde/ShareDB keystroke→last peer p50: ${p50Ratio.toFixed(2)}×`);
  }
  if (byName.echo?.throughput) {
    lines.push(`echo frames/s with the same throughput load: ${Math.round(byName.echo.throughput.opsPerSecond)}`);
  }
  lines.push('');
  lines.push('Latency part, split: a keystroke waits at its client while an earlier op is unacknowledged (ot.js and sharedb both hold one op in flight), then its frame goes to the server, which acks the sender and sends it on to the peers:');
  lines.push('');
  lines.push('| target | keystroke→on the wire p50 / p99 ms | on the wire→own ack p50 / p99 ms | on the wire→last peer p50 / p99 ms |');
  lines.push('|---|---:|---:|---:|');
  const pair = (summary) => `${formatMs(summary.p50)} / ${formatMs(summary.p99)}`;
  for (const { name, latency } of results) {
    if (name === 'echo, fanned out') continue;
    lines.push(`| ${name} | ${pair(latency.heldAtClient)} | ${pair(latency.frameToAck)} | ${name === 'echo' ? '–' : pair(latency.frameToLastPeer)} |`);
  }
  lines.push('');
  lines.push(`CPU during each measured window (% of one core; ${cpus().length} cores = ${cpus().length * 100} %; machine = every process; the platform's processes are those under ${options.platformRoot}), and this load generator's event loop:`);
  lines.push('');
  const groups = ['machine', 'load generator', 'gateway', 'orchestrator proxy (dcp)', 'collaboration', 'redis', 'dashboard', 'ShareDB server'];
  lines.push(`| phase | ${groups.join(' | ')} | generator loop busy | loop delay p99 ms |`);
  lines.push(`|---|${groups.map(() => '---:').join('|')}|---:|---:|`);
  for (const { name, latency, throughput } of results) {
    for (const [phase, result] of [['latency', latency], ['throughput', throughput]]) {
      if (!result) continue;
      const { cpu, loopBusy, loopDelayP99 } = result.load;
      lines.push(`| ${name}, ${phase} | ${groups.map((group) => (cpu[group] === undefined ? '–' : `${cpu[group]} %`)).join(' | ')} | ${loopBusy} % | ${formatMs(loopDelayP99)} |`);
    }
  }
  lines.push('');
  for (const note of notes) lines.push(`problem: ${note}`);
  if (notes.length === 0) lines.push('every keystroke delivered and acknowledged; every document converged; no error frames');
  process.stdout.write(`${lines.join('\n')}\n`);
}
