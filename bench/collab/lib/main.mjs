import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { echoTarget } from './echo.mjs';
import { parseOptions, PLATFORM_TARGETS, USAGE } from './options.mjs';
import { runPhase, runRamp } from './phases.mjs';
import { discoverPlatform } from './platform.mjs';
import { descendantsOf, pin, sameCpus, threadAffinities } from './proc.mjs';
import { printReport } from './report.mjs';
import { preparePostgres, startRedis, startShareDbServer } from './servers.mjs';
import { shareDbTarget } from './sharedb.mjs';
import { openSocket, closeSocket } from './sockets.mjs';
import { preparePlatform, webIdeTarget } from './webide.mjs';

const LABELS = {
  echo: 'floor: echo through the gateway',
  'echo-direct': 'floor: echo, collaboration instances directly',
  sharedb: 'ShareDB in memory, directly',
  'sharedb-gateway': 'ShareDB in memory, through the gateway',
  'sharedb-durable': 'ShareDB durable (PostgreSQL + Redis pub/sub), directly',
  webide: 'WebIde through the gateway',
  'webide-direct': 'WebIde, collaboration instances directly',
};

function log(message) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
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
    await delay(1000);
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

// The route the gateway has to the ShareDB server (a YARP route and cluster in the file given to
// `./webide up --gateway-config`): its path, and the port the server must listen on.
function gatewayRoute(file) {
  let config;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')).ReverseProxy;
  } catch (error) {
    throw new Error(`--gateway-config ${file}: ${error.message}`);
  }
  for (const route of Object.values(config?.Routes ?? {})) {
    const destinations = Object.values(config.Clusters?.[route.ClusterId]?.Destinations ?? {});
    if (destinations.length !== 1 || !route.Match?.Path) continue;
    const address = new URL(destinations[0].Address);
    return { path: route.Match.Path, port: Number(address.port), address: destinations[0].Address };
  }
  throw new Error(`--gateway-config ${file}: no route with one destination`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The 1-minute load average must be below 1 when the run starts (the machine otherwise runs
// something else that shares the cores): wait up to `quietWait` seconds for it, then refuse
// unless --force, in which case the report says so.
async function checkQuiet(options) {
  const deadline = Date.now() + options.quietWait * 1000;
  let announced = false;
  while (loadavg()[0] >= 1 && Date.now() < deadline) {
    if (!announced) log(`load average ${loadavg()[0].toFixed(2)} ≥ 1: waiting up to ${options.quietWait} s for the machine to go quiet`);
    announced = true;
    await delay(5000);
  }
  const average = loadavg();
  return { average, quiet: average[0] < 1 };
}

function gitCommit(folder) {
  try {
    return execFileSync('git', ['-C', folder, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

// Every process on a target's path on the CPUs under test: pinned here (every thread; later
// threads and children inherit it) when it is not, unless --no-pin. What each had and has is
// reported.
function pinProcesses(processes, options) {
  const records = [];
  for (const { name, pid, tree } of processes) {
    const pids = tree ? [pid, ...descendantsOf(pid)] : [pid];
    const before = threadAffinities(pid);
    const already = pids.every((each) => {
      const lists = threadAffinities(each);
      return lists.length === 1 && sameCpus(lists[0], options.targetCpus);
    });
    let after = before;
    let error = null;
    if (!already && options.pin) {
      for (const each of pids) {
        const result = pin(each, options.targetCpus);
        if (!result.ok && each === pid) error = result.error || `still ${result.affinity}`;
      }
      after = threadAffinities(pid);
    }
    const pinned = after.length === 1 && sameCpus(after[0], options.targetCpus);
    records.push({ name, pid, before: before.join(' / '), after: after.join(' / '), pinnedHere: !already && pinned, pinned, error });
  }
  return records;
}

function describeProblems(label, result) {
  const lines = [];
  if (!result.drained) lines.push(`${label}: not every keystroke was delivered and acknowledged within the deadline (${result.incomplete ?? '?'} keystrokes incomplete)`);
  else if (!result.converged) lines.push(`${label}: the clients did not converge to the same text`);
  if (result.errors.length > 0) lines.push(`${label}: ${result.errors.length} errors, first: ${result.errors.slice(0, 3).join(' | ')}`);
  if (result.anomalies.length > 0) lines.push(`${label}: ${result.anomalies.length} protocol anomalies, first: ${result.anomalies.slice(0, 3).join(' | ')}`);
  return lines;
}

export async function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const quiet = await checkQuiet(options);
  if (!quiet.quiet && !options.force) {
    log(`load average ${quiet.average.map((value) => value.toFixed(2)).join(' ')}: the 1-minute figure is ≥ 1, so something else is using the cores; not starting (--force to run anyway; the report then says so)`);
    return 5;
  }
  const generatorAffinity = threadAffinities(process.pid);
  const generatorPinned = generatorAffinity.length === 1 && sameCpus(generatorAffinity[0], options.generatorCpus);
  const context = {
    startedAt: new Date().toISOString(),
    loadAverage: quiet.average,
    quiet: quiet.quiet,
    cores: cpus().length,
    commit: gitCommit(options.platformRoot),
    generator: { affinity: generatorAffinity.join(' / '), pinned: generatorPinned },
    pinning: [],
    notes: [],
  };
  log(`load average at start ${quiet.average.map((value) => value.toFixed(2)).join(' ')}; load generator on CPUs ${context.generator.affinity}${generatorPinned ? '' : ` (wanted ${options.generatorCpus}: NOT pinned)`}`);
  if (!generatorPinned) context.notes.push(`the load generator's affinity is ${context.generator.affinity}, not ${options.generatorCpus}`);

  const needsPlatform = options.targets.some((target) => PLATFORM_TARGETS.includes(target));
  const stops = [];
  const results = [];
  const problems = [];
  // Ctrl-C: the servers started here go too (Redis does not watch its stdin as the ShareDB servers do).
  // A Ctrl-C may come twice (from the terminal and forwarded by run.mjs): the first one counts.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping`);
      for (const stop of stops.reverse()) await stop().catch(() => {});
      process.exit(130);
    });
  }
  try {
    // --- the platform and the servers this benchmark starts
    let platform = null;
    let processes = null;
    if (needsPlatform) {
      log(`waiting up to ${options.wait} s for ${options.url}/health`);
      await waitForGateway(options.url, options.wait * 1000);
      processes = discoverPlatform(options.url, options.directUrls);
      context.platform = processes;
      context.notes.push(...processes.notes);
      log(`gateway pid ${processes.gateway?.pid ?? '?'}; collaboration instances ${processes.collaboration.map((instance) => `${instance.url} (pid ${instance.pid ?? '?'})`).join(', ') || 'not found'}; redis pid ${processes.redis?.pid ?? '?'}`);
      log(`preparing ${options.users} users and a workspace at ${options.url}`);
      platform = await preparePlatform(options.url, { users: options.users });
    }
    const needsDirect = options.targets.some((target) => target.endsWith('-direct') && target !== 'sharedb');
    if (needsDirect && (processes?.directUrls.length ?? 0) === 0) throw new Error('no collaboration instance URLs: pass --direct-url URL[,URL]');

    let memory = null;
    let route = null;
    if (options.targets.includes('sharedb') || options.targets.includes('sharedb-gateway')) {
      route = options.targets.includes('sharedb-gateway') ? gatewayRoute(options.gatewayConfig) : null;
      memory = await startShareDbServer({ port: route?.port ?? 0, cpus: options.pin ? options.targetCpus : null, name: 'ShareDB (memory)' });
      stops.push(memory.stop);
      log(`ShareDB in memory: ${memory.url} (pid ${memory.pid})`);
    }
    let durable = null;
    if (options.targets.includes('sharedb-durable')) {
      const postgres = await preparePostgres(options.pgUrl);
      const redis = await startRedis({ port: await freePort(), cpus: options.pin ? options.targetCpus : null });
      stops.push(redis.stop);
      const servers = [];
      for (let index = 0; index < options.durableInstances; index++) {
        const server = await startShareDbServer({
          port: 0,
          cpus: options.pin ? options.targetCpus : null,
          name: `ShareDB (durable) ${index + 1}`,
          durable: { pgUrl: options.pgUrl, redisUrl: redis.url, synchronousCommit: options.synchronousCommit },
        });
        stops.push(server.stop);
        servers.push(server);
      }
      durable = { postgres, redis, servers };
      context.postgres = { version: postgres.version, pid: postgres.pid, synchronousCommit: options.synchronousCommit };
      log(`ShareDB durable: ${servers.map((server) => `${server.url} (pid ${server.pid})`).join(', ')}; Redis ${redis.url} (pid ${redis.pid}); PostgreSQL ${postgres.version} (postmaster pid ${postgres.pid ?? '?'}), synchronous_commit ${options.synchronousCommit}`);
      if (postgres.pid === null) context.notes.push('PostgreSQL\'s processes were not found (not on this machine?): its CPU is not counted');
    }

    // --- each target: how to reach it, and the processes on its path
    const collaborationPids = processes?.collaborationPids ?? [];
    const group = (name, pids, tree = false) => ({ name, pids: pids.filter((pid) => pid !== null && pid !== undefined), tree });
    const gatewayGroup = () => group('gateway', [processes?.gateway?.pid]);
    const targets = [];
    for (const key of options.targets) {
      const label = LABELS[key];
      const instanceProxyGroup = () => group('dcp', (processes?.collaboration ?? []).filter((instance) => instance.proxied).map((instance) => instance.pid));
      if (key === 'echo') targets.push({ target: echoTarget({ key, label, baseUrls: [options.url], platform }), groups: () => [gatewayGroup(), group('collaboration', collaborationPids), instanceProxyGroup()] });
      if (key === 'echo-direct') targets.push({ target: echoTarget({ key, label, baseUrls: processes.directUrls, platform }), groups: () => [group('collaboration', collaborationPids), instanceProxyGroup()] });
      // An orchestrator proxy (dcp) found in front of an instance or of Redis is on the path too.
      const snapshotGroup = () => group('files & events', processes?.snapshotPids ?? []);
      const proxyGroup = () => group('dcp', [...new Set([processes?.redisProxy?.pid, ...(processes?.collaboration ?? []).filter((instance) => instance.proxied).map((instance) => instance.pid)])]);
      if (key === 'webide') targets.push({ target: webIdeTarget({ key, label, baseUrls: [options.url], gatewayUrl: options.url, platform }), groups: () => [gatewayGroup(), group('collaboration', collaborationPids), group('redis', [processes?.redis?.pid]), snapshotGroup(), proxyGroup()] });
      if (key === 'webide-direct') targets.push({ target: webIdeTarget({ key, label, baseUrls: processes.directUrls, gatewayUrl: options.url, platform }), groups: () => [group('collaboration', collaborationPids), group('redis', [processes?.redis?.pid]), snapshotGroup(), proxyGroup()] });
      if (key === 'sharedb') targets.push({ target: shareDbTarget({ key, label, urls: [memory.url] }), groups: () => [group('ShareDB', [memory.pid])] });
      if (key === 'sharedb-gateway') {
        const url = new URL(route.path, options.url);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        targets.push({ target: shareDbTarget({ key, label, urls: [url.href], tokens: platform.tokens }), groups: () => [gatewayGroup(), group('ShareDB', [memory.pid])] });
      }
      if (key === 'sharedb-durable') {
        targets.push({
          target: shareDbTarget({ key, label, urls: durable.servers.map((server) => server.url) }),
          groups: () => [group('ShareDB', durable.servers.map((server) => server.pid)), group('redis', [durable.redis.pid]), group('postgres', [durable.postgres.pid], true)],
        });
      }
    }

    // --- affinity: the generator on its CPUs, everything under test on the others
    const onPath = new Map();
    for (const { groups } of targets) for (const { name, pids, tree } of groups()) for (const pid of pids) onPath.set(pid, { name, pid, tree });
    context.pinning = pinProcesses([...onPath.values()], options);
    for (const record of context.pinning) {
      log(`${record.name} pid ${record.pid}: CPUs ${record.before}${record.pinnedHere ? ` → ${record.after} (pinned here)` : ''}${record.pinned ? '' : ` — NOT on ${options.targetCpus}${record.error ? `: ${record.error}` : ''}`}`);
    }

    if (route !== null) {
      // The route must exist: the platform started with --gateway-config (see docs/benchmarks.md).
      const url = new URL(route.path, options.url);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('access_token', platform.tokens[0]);
      try {
        await closeSocket(await openSocket(url, 5000));
      } catch (error) {
        throw new Error(`no WebSocket to ShareDB through the gateway at ${route.path} (${error.message}). Start the platform with: ./webide up --gateway-config bench/collab/gateway-sharedb.json (routes ${route.path} to ${route.address})`);
      }
    }

    // --- the runs: every repetition runs every workload on every target in turn, so that a
    // change in the machine over the run spreads over the targets instead of landing on one
    for (let rep = 1; rep <= options.repeat; rep++) {
      for (const workload of options.workloads) {
        for (const { target, groups } of targets) {
          const prefix = `r${rep}-${workload}-${target.key}`;
          const name = `${target.label}, ${workload}, repetition ${rep}/${options.repeat}`;
          // Not measured: a few logins between phases, so that no socket is refused an expired token.
          await platform?.renewTokens(5 * 60 * 1000);
          let result;
          if (workload === 'ramp') {
            const settings = options.ramp;
            log(`${name}: ${settings.docs} documents × ${settings.perDoc} clients, from ${settings.startRate} keystrokes/s per client ×${settings.factor} a step`);
            result = await runRamp(target, {
              ...settings,
              docIds: Array.from({ length: settings.docs }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}.txt`),
              cpuGroups: groups,
              maxLoopDelay: options.maxLoopDelay,
              log,
            });
            log(`${name}: sustained ${result.sustained ? `${Math.round(result.sustained.keystrokesPerSecond)} keystrokes/s, ${Math.round(result.sustained.opsPerSecond)} ops/s` : 'no step'}; stopped by ${result.stoppedBy}`);
          } else {
            const settings = workload === 'rooms' ? options.rooms : { docs: 1, selections: false, ...options.hot };
            log(`${name}: ${settings.docs} document(s) × ${settings.perDoc} clients at ${settings.rate} keystrokes/s each${settings.selections ? ', cursors' : ''}, ${options.warmup} s warm-up + ${options.seconds} s`);
            result = await runPhase(target, {
              docIds: Array.from({ length: settings.docs }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}.txt`),
              perDoc: settings.perDoc,
              rate: settings.rate,
              selections: settings.selections,
              warmup: options.warmup,
              seconds: options.seconds,
              cpuGroups: groups,
              maxLoopDelay: options.maxLoopDelay,
            });
            log(`${name}: last peer p50 ${result.lastPeer.p50.toFixed(1)} / p99 ${result.lastPeer.p99.toFixed(1)} ms, ${Math.round(result.keystrokesPerSecond)} keystrokes/s, ${Math.round(result.opsPerSecond)} ops/s, ${Math.round(result.cpu.usPerKeystroke)} CPU-µs/keystroke, loop delay p99 ${result.loop.delayP99.toFixed(2)} ms${result.valid ? '' : ' — INVALID'}`);
          }
          problems.push(...describeProblems(name, result));
          results.push({ workload, target: target.key, label: target.label, rep, result });
          await delay(2000); // let the last phase's stragglers (closing sockets, GC) pass
        }
      }
    }
  } catch (error) {
    log(`failed: ${error.stack ?? error}`);
    for (const stop of stops.reverse()) await stop().catch(() => {});
    return 1;
  }
  for (const stop of stops.reverse()) await stop().catch(() => {});

  const { invalid } = printReport(options, context, results, problems);
  if (options.json !== null) writeFileSync(options.json, `${JSON.stringify({ options, context, results, problems }, (key, value) => (value === Infinity ? 'Infinity' : value), 2)}\n`);
  if (problems.length > 0) return 3;
  if (invalid || !context.quiet || !generatorPinned || context.pinning.some((record) => !record.pinned)) return 4;
  return 0;
}
