import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startCpuWatch } from './cpu.mjs';
import { setTimeout as delay } from 'node:timers/promises';
import { LatencyRecorder, settle } from './recorder.mjs';

const DRAIN_MS = 15000;

// The measured window of a phase: how busy this process's event loop was (a keystroke's arrival
// is only noticed when the loop gets to it), its delay p99, and the CPU of the processes involved.
function watchWindow(platformRoot) {
  const utilization = performance.eventLoopUtilization();
  const delayHistogram = monitorEventLoopDelay({ resolution: 1 });
  delayHistogram.enable();
  const cpu = startCpuWatch(platformRoot);
  return () => {
    delayHistogram.disable();
    return {
      loopBusy: Math.round(100 * performance.eventLoopUtilization(utilization).utilization),
      loopDelayP99: delayHistogram.percentile(99) / 1e6,
      cpu: cpu(),
    };
  };
}

function problems(clients) {
  const errors = clients.flatMap((client) => client.errors.map((error) => `${client.label}: ${error}`));
  const anomalies = clients.flatMap((client) => client.anomalies.map((anomaly) => `${client.label}: ${anomaly}`));
  return { errors, anomalies };
}

// After the load stops: every keystroke delivered and acknowledged, then every client of a
// document at the same revision with the same text. Both waits have deadlines; a miss is reported.
async function drain(target, groups, recorder) {
  const clients = groups.flat();
  const drained = await settle(() => recorder.outstanding === 0 && clients.every((client) => client.settled), DRAIN_MS, 'the last keystrokes');
  const converged = drained && (await settle(() => groups.every((group) => target.converged(group)), DRAIN_MS, 'convergence'));
  return { drained, converged };
}

// Latency: `clients` clients on one document, each typing one-character inserts at a random place
// at `rate` keystrokes a second, the gap between two keystrokes uniform in [0.5, 1.5] / rate
// (first keystrokes spread over one gap). Keystrokes typed in the `seconds` after `warmup` are
// measured; then typing stops and the rest is delivered.
export async function latencyPhase(target, { clients: count, rate, seconds, warmup, path, platformRoot }) {
  const recorder = new LatencyRecorder();
  const clients = await target.openDocument(path, count, recorder);
  const gap = 1000 / rate;
  let typing = true;
  const timers = new Set();
  const typeNext = (client, wait) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!typing) return;
      client.keystroke();
      typeNext(client, gap * (0.5 + Math.random()));
    }, wait);
    timers.add(timer);
  };
  for (const client of clients) typeNext(client, Math.random() * gap);
  await delay(warmup * 1000);
  const from = performance.now();
  recorder.window = { from, to: from + seconds * 1000 };
  const watched = watchWindow(platformRoot);
  await delay(seconds * 1000);
  const load = watched();
  typing = false;
  for (const timer of timers) clearTimeout(timer);
  const { drained, converged } = await drain(target, [clients], recorder);
  const result = {
    toLastPeer: recorder.toLastPeer.summary(),
    perPeer: recorder.perPeer.summary(),
    heldAtClient: recorder.heldAtClient.summary(),
    frameToAck: recorder.frameToAck.summary(),
    frameToLastPeer: recorder.frameToLastPeer.summary(),
    keystrokes: recorder.recordedKeystrokes,
    incomplete: recorder.incompleteKeystrokes,
    acked: clients.reduce((sum, client) => sum + client.acked, 0),
    drained,
    converged,
    load,
    ...problems(clients),
  };
  await Promise.all(clients.map((client) => client.close()));
  return result;
}

// Throughput: `docs` documents with `perDoc` clients each; every client sends its next operation
// as soon as its previous one is acknowledged (one in flight, as ot.js and sharedb clients do).
// Acknowledgements in the `seconds` after `warmup` are counted.
export async function throughputPhase(target, { docs, perDoc, seconds, warmup, paths, platformRoot }) {
  const recorder = new LatencyRecorder();
  const groups = [];
  for (const path of paths.slice(0, docs)) groups.push(await target.openDocument(path, perDoc, recorder));
  const clients = groups.flat();
  let running = true;
  let counting = false;
  let counted = 0;
  for (const client of clients) {
    client.onAck = () => {
      if (counting) counted++;
      if (running) client.keystroke();
    };
  }
  for (const client of clients) client.keystroke();
  await delay(warmup * 1000);
  counting = true;
  const from = performance.now();
  recorder.window = { from, to: from + seconds * 1000 };
  const watched = watchWindow(platformRoot);
  await delay(seconds * 1000);
  const load = watched();
  counting = false;
  const elapsed = (performance.now() - from) / 1000;
  running = false;
  const { drained, converged } = await drain(target, groups, recorder);
  const result = {
    opsPerSecond: counted / elapsed,
    acked: counted,
    perPeer: recorder.perPeer.summary(),
    drained,
    converged,
    load,
    ...problems(clients),
  };
  await Promise.all(clients.map((client) => client.close()));
  return result;
}
