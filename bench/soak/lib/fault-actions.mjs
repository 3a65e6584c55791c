// The faults themselves. Each returns what it hit and when its action was over: the killed
// instance replaced, Redis or RabbitMQ started again (by the AppHost, which starts an exited
// resource again), the Docker engine answering again (started here, as ./webide starts it).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { allPids, commandLine, startTicksOf } from '../../collab/lib/proc.mjs';
import { engineAnswers } from './containers.mjs';
import { commOf, labelOf, platformProcessesNamed, serviceInstances } from './processes.mjs';
import { now } from './timeline.mjs';

const alive = (pid, start) => startTicksOf(pid) === start;

async function waitUntil(condition, timeoutMs, everyMs = 200) {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const value = await condition();
    if (value) return value;
    await delay(everyMs);
  }
  return null;
}

const describe = (pid) => ({ pid, name: labelOf(pid), command: commandLine(pid).slice(0, 160) });

// kill -9 of one service instance (any but the Docker gate), chosen with `rng`; over when a
// process of the same instance name runs again.
export async function killService({ marker, rng }) {
  const instances = serviceInstances(marker);
  if (instances.length === 0) return { ok: false, note: 'no service instance found' };
  const victim = rng.pick(instances);
  const target = describe(victim.pid);
  process.kill(victim.pid, 'SIGKILL');
  const replacement = await waitUntil(() => serviceInstances(marker).find((entry) => entry.instance === victim.instance && !(entry.pid === victim.pid && entry.start === victim.start)), 120000);
  return {
    ok: replacement !== null,
    target,
    endedAt: replacement === null ? null : now(),
    note: replacement === null ? `${victim.instance} not running again within 120 s` : `${victim.instance} again as pid ${replacement.pid}`,
  };
}

// SIGTERM to the platform's process named `comm` (redis-server, beam.smp); over when a new one
// runs (the AppHost starts it again).
export async function restartInfrastructure({ marker, comm, exitTimeoutMs = 60000 }) {
  const pids = platformProcessesNamed(marker, comm);
  if (pids.length === 0) return { ok: false, note: `no ${comm} of the platform found` };
  const pid = pids[0];
  const start = startTicksOf(pid);
  const target = describe(pid);
  process.kill(pid, 'SIGTERM');
  const exited = await waitUntil(() => !alive(pid, start), exitTimeoutMs);
  const again = await waitUntil(() => platformProcessesNamed(marker, comm).find((other) => !(other === pid && alive(pid, start))), 120000);
  return {
    ok: exited !== null && again !== undefined && again !== null,
    target,
    endedAt: again ? now() : null,
    note: exited === null ? `${comm} still running ${exitTimeoutMs / 1000} s after SIGTERM` : again ? `${comm} again as pid ${again}` : `${comm} not running again within 120 s`,
  };
}

// SIGTERM to dockerd, wait for it to exit (SIGKILL after 30 s, as ./webide does), start it again
// detached in a session of its own with its log where ./webide keeps it; over when `docker info`
// answers.
export async function restartDocker({ dataDir }) {
  const pids = allPids().filter((pid) => commOf(pid) === 'dockerd');
  if (pids.length === 0) return { ok: false, note: 'no dockerd running' };
  const pid = pids[0];
  const start = startTicksOf(pid);
  const target = describe(pid);
  process.kill(pid, 'SIGTERM');
  let note = '';
  if ((await waitUntil(() => !alive(pid, start), 30000)) === null) {
    process.kill(pid, 'SIGKILL');
    note = 'dockerd did not exit within 30 s of SIGTERM: killed; ';
    await waitUntil(() => !alive(pid, start), 10000);
  }
  mkdirSync(dataDir, { recursive: true });
  const log = openSync(join(dataDir, 'dockerd.log'), 'a');
  // detached: a session of its own (setsid), as ./webide starts it, so no signal of ours reaches it.
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
  child.on('error', () => {}); // not found: seen below as an engine that never answers
  child.unref();
  const started = child.pid ?? null;
  if (started !== null) writeFileSync(join(dataDir, 'dockerd.pid'), `${started}\n`);
  const answers = await waitUntil(() => engineAnswers(5000), 90000, 500);
  return {
    ok: answers !== null,
    target,
    endedAt: answers ? now() : null,
    note: `${note}${answers ? `dockerd again as pid ${started}` : 'docker info did not answer within 90 s'}`,
  };
}
