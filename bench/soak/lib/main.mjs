// The soak from start to report: checks, the load (and the fault script beside it), RSS samples,
// the read-back after a quiet period, the figures and the targets.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { countsByKind, errorsByCause, faultWindows, percentilesPerMinute } from './analysis.mjs';
import { installationContainers } from './containers.mjs';
import { Http } from './http.mjs';
import { Load } from './load.mjs';
import { duplicateInstances, orphans, runMarker, sampleRss, serviceEnvironment, serviceInstances } from './processes.mjs';
import { startProgress } from './progress.mjs';
import { verifyDocuments, verifySaves } from './readback.mjs';
import { printReport } from './report.mjs';
import { rssGrowth } from './rss.mjs';
import { targets } from './targets.mjs';
import { now, Timeline } from './timeline.mjs';
import { savedFileIntact, verifyContainers, verifyProcesses } from './verify.mjs';

const FAULTS_SCRIPT = fileURLToPath(new URL('../faults.mjs', import.meta.url));

const log = (message) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function commitOf(root) {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

// The fault script as a child process; resolves its events when it has exited.
function startFaults(options, rampEndMs, origin) {
  const untilSeconds = options.minutes * 60 - (now() - origin) / 1000;
  const child = spawn(process.execPath, [
    FAULTS_SCRIPT,
    '--seed', String(options.seed),
    // After the ramp, and after the RSS baseline: a process restarted just before it would
    // count its whole start-up as growth.
    '--first-at-seconds', String(Math.max(rampEndMs / 1000, options.faultIntervalSeconds, options.rssMinute * 60 + 10) - (now() - origin) / 1000),
    '--interval-seconds', String(options.faultIntervalSeconds),
    '--until-seconds', String(untilSeconds),
    '--platform-dir', options.platformDir,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  const events = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      events.push(JSON.parse(line));
    } catch {
      log(`faults: ${line}`);
    }
  });
  let stopping = false;
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then((code) => {
    if (!stopping && code !== 0) log(`the fault script stopped early (exit ${code}): the soak goes on without faults`);
  });
  return {
    events,
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      const code = await Promise.race([exited, delay(180000, 'still running')]);
      return code;
    },
    exited,
  };
}

// How many idle sandboxes the warm pools may hold: per execution instance, per language, the
// pool's maximum (Execution:Pool:MaxSize; idle, a pool aims at DefaultSize).
async function sandboxBound(marker, http) {
  const executions = Math.max(1, serviceInstances(marker).filter((entry) => entry.service === 'Execution').length);
  const maxSize = Number(serviceEnvironment(marker, 'Execution', 'Execution__Pool__MaxSize') ?? 8);
  const defaultSize = Number(serviceEnvironment(marker, 'Execution', 'Execution__Pool__DefaultSize') ?? 1);
  const answer = await http.request('verify-languages', 'GET', '/api/languages');
  const languages = answer.cause === 'ok' ? JSON.parse(answer.text).length : 9;
  return { executions, languages, maxSize, defaultSize, bound: executions * languages * maxSize, idleTarget: executions * languages * defaultSize };
}

export async function main(options) {
  const marker = runMarker(options.platformDir);
  const notes = [];
  if (marker === null) {
    const why = `no \`./webide up\` of ${options.platformDir} found (an AppHost with the run's marker)`;
    if (options.faults) throw new Error(`${why}: the faults need its processes (or pass --faults off)`);
    notes.push(`${why}: no RSS, no process checks`);
  }
  if (options.faults && process.getuid?.() !== 0) throw new Error('--faults on needs root (kill -9 of the services, restarts of Redis, RabbitMQ and dockerd); run as root or pass --faults off');
  if (marker !== null && process.getuid?.() !== 0) notes.push('not root: only processes of this user are seen (RSS, orphans)');
  const installation = marker === null ? null : serviceEnvironment(marker, 'Execution', 'Sandbox__Installation') ?? join(options.platformDir, '.data');

  const timeline = new Timeline();
  const http = new Http(options.url, timeline, { timeoutMs: options.opTimeoutMs });
  const context = { startedAt: new Date().toISOString(), commit: commitOf(options.platformDir), cores: cpus().length, load: { start: loadavg()[0] }, notes, installation };
  log(`seed ${options.seed}; ${options.users} users in workspaces of ${options.usersPerWorkspace}, ramp ${options.rampSeconds} s, ${options.minutes} min, faults ${options.faults ? `every ${options.faultIntervalSeconds} s` : 'off'}; load average ${context.load.start.toFixed(2)}`);

  const orphansBefore = marker === null ? [] : orphans();
  const samples = marker === null ? [] : [sampleRss(marker, 'start')];
  const load = new Load({ options, http, timeline, log });
  const origin = now();
  context.origin = origin;
  const stopProgress = startProgress({ timeline, load, origin });
  const faults = options.faults ? startFaults(options, options.rampSeconds * 1000, origin) : null;
  const rampDone = load.start();
  const baselineTimer = marker === null ? null : setTimeout(() => samples.push(sampleRss(marker, `minute ${options.rssMinute}`)), options.rssMinute * 60000);
  await delay(Math.max(0, origin + options.minutes * 60000 - now()));

  log('load over: stopping the users');
  const loadEnd = now();
  context.loadEnd = loadEnd;
  context.load.end = loadavg()[0];
  clearTimeout(baselineTimer);
  if (marker !== null) samples.push(sampleRss(marker, 'end'));
  const faultsExit = faults === null ? null : await faults.stop();
  if (faultsExit === 'still running') notes.push('the fault script did not exit within 3 minutes of being told to stop');
  const { unsettled } = await load.stop();
  await rampDone;
  stopProgress();

  log(`quiet for ${options.quietSeconds} s, then reading everything back`);
  await delay(options.quietSeconds * 1000);
  const verifyHttp = new Http(options.url, new Timeline(), { timeoutMs: options.opTimeoutMs });
  const documents = await verifyDocuments({ groups: load.groups, http: verifyHttp, url: options.url });
  const saves = await verifySaves({ users: load.users, http: verifyHttp });

  let containers = null;
  let processes = null;
  if (marker !== null) {
    log(`waiting ${options.containerGraceSeconds} s for idle sandboxes to be retired, then counting containers and processes`);
    await delay(options.containerGraceSeconds * 1000);
    const sizing = await sandboxBound(marker, verifyHttp);
    try {
      containers = { ...verifyContainers(await installationContainers(installation), sizing), installation, sizing };
    } catch (error) {
      containers = { error: error.message, pass: false, sizing };
    }
    processes = verifyProcesses(orphansBefore, orphans(), duplicateInstances(marker));
  }
  context.load.afterChecks = loadavg()[0];

  const operations = [...timeline.operations()];
  const faultEvents = faults === null ? [] : faults.events.filter((event) => event.event === 'fault');
  const reconnectsByCause = {};
  for (const reconnect of timeline.reconnects) reconnectsByCause[reconnect.cause] = (reconnectsByCause[reconnect.cause] ?? 0) + 1;
  // Files of users who never had a write acknowledged (nor one unanswered) have nothing to check.
  const checkedSaves = saves.filter((entry) => entry.verdict !== 'nothing acknowledged');
  const rssSamples = samples.length >= 3 ? rssGrowth(samples[1], samples[2]) : null;
  const results = {
    context,
    options,
    counts: countsByKind(operations),
    errors: errorsByCause(operations),
    perMinute: percentilesPerMinute(operations, origin),
    reconnects: { total: timeline.reconnects.length, byCause: reconnectsByCause },
    faults: { schedule: faults?.events.find((event) => event.event === 'schedule') ?? null, ...faultWindows(operations, faultEvents, { loadEnd, stableMs: options.stableMs, reconnects: timeline.reconnects }) },
    rss: { samples, growth: rssSamples },
    verification: {
      unsettled,
      documents,
      saves: { checked: checkedSaves.length, intact: checkedSaves.filter(savedFileIntact).length, failed: checkedSaves.filter((entry) => !savedFileIntact(entry)) },
      containers,
      processes,
    },
    users: { total: load.users.length, problems: load.users.filter((user) => user.problem !== null).map((user) => ({ user: user.username, state: user.state, problem: user.problem })).slice(0, 50) },
    // What contradicted the protocol; a give-up (also in the client's list) is an error of its own.
    violations: load.editors.flatMap((editor) => editor.violations.filter((text) => text !== editor.fatal || !/could not connect/.test(text)).map((text) => `${editor.name}: ${text}`)).slice(0, 50),
  };
  results.targets = targets(results, options);
  if (options.out !== null) {
    writeFileSync(options.out, JSON.stringify({ ...results, timeline: timeline.toJSON(), faultLog: faults?.events ?? [] }));
    log(`wrote ${options.out}`);
  }
  printReport(results, options);
  return results.targets.every((target) => target.pass !== false) ? 0 : 3;
}
