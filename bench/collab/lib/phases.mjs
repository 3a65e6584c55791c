import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { watchCpu } from './cpu.mjs';
import { OpenLoop } from './openloop.mjs';
import { LatencyRecorder, settle } from './recorder.mjs';
import { mapLimited } from './sockets.mjs';

const DRAIN_MS = 15000;
const LOOP_RESOLUTION_MS = 1;

// The measured window: the load generator's event loop (how busy, and its delay: the histogram
// samples a 1 ms timer, so its values are the interval and the delay is what exceeds 1 ms), the
// schedule's lateness, and the CPU of the processes on the target's path, of this load generator
// and of the machine.
function watchWindow(cpuGroups) {
  const utilization = performance.eventLoopUtilization();
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const cpu = watchCpu([{ name: 'load generator', pids: [process.pid] }, ...cpuGroups]);
  return () => {
    histogram.disable();
    const excess = (nanoseconds) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);
    return {
      loopBusy: 100 * performance.eventLoopUtilization(utilization).utilization,
      loopDelayP99: excess(histogram.percentile(99)),
      loopDelayMax: excess(histogram.max),
      cpu: cpu(),
    };
  };
}

function problems(clients) {
  const errors = clients.flatMap((client) => client.errors.map((error) => `${client.label}: ${error}`));
  const anomalies = clients.flatMap((client) => client.anomalies.map((anomaly) => `${client.label}: ${anomaly}`));
  return { errors, anomalies };
}

// Docs with `perDoc` clients each, opened a few documents at a time.
async function openClients(target, docIds, perDoc, recorder, selections) {
  return mapLimited(docIds, 4, (docId) => target.openDocument(docId, perDoc, recorder, { selections }));
}

// What a window measured, in the units of the report.
function summarise({ recorder, loop, load, seconds, cpuGroups, maxLoopDelay }) {
  const missing = Math.max(0, loop.typedInWindow - recorder.toLastPeer.count);
  const groupSeconds = (name) => load.cpu.groups[name]?.cpuSeconds ?? 0;
  const pathSeconds = cpuGroups.reduce((sum, group) => sum + groupSeconds(group.name), 0);
  const cpuPercent = {};
  const usPerKeystrokeByGroup = {};
  for (const [name, value] of Object.entries(load.cpu.groups)) {
    cpuPercent[name] = value.percent;
    usPerKeystrokeByGroup[name] = loop.typedInWindow > 0 ? (1e6 * value.cpuSeconds) / loop.typedInWindow : NaN;
  }
  return {
    keystrokesPerSecond: loop.typedInWindow / seconds,
    keystrokes: loop.typedInWindow,
    opsPerSecond: recorder.acksInWindow / seconds,
    lastPeer: recorder.lastPeerSummary({ missing }),
    perPeer: recorder.perPeer.summary(),
    heldAtClient: recorder.heldAtClient.summary(),
    frameToAck: recorder.frameToAck.summary(),
    frameToLastPeer: recorder.frameToLastPeer.summary(),
    scheduleLag: loop.lag.summary(),
    loop: { busy: load.loopBusy, delayP99: load.loopDelayP99, delayMax: load.loopDelayMax },
    // The generator kept its schedule: its event loop's delay p99 (sampled every millisecond, so
    // one long stall is one sample) and how late the keystrokes were typed (every keystroke of a
    // stall is late: the stricter of the two when the process itself is kept off its CPU).
    valid: load.loopDelayP99 <= maxLoopDelay && loop.lag.summary().p99 <= maxLoopDelay,
    cpu: {
      percent: cpuPercent,
      usPerKeystrokeByGroup,
      pathPercent: (100 * pathSeconds) / load.cpu.seconds,
      machinePercent: load.cpu.machine?.percent ?? NaN,
      usPerKeystroke: loop.typedInWindow > 0 ? (1e6 * pathSeconds) / loop.typedInWindow : NaN,
    },
  };
}

// One workload on one target, open loop: `docs` documents with `perDoc` clients each, every
// client typing `rate` keystrokes a second (one-character inserts at random places; with
// `selections`, its cursor follows), `warmup` seconds unmeasured, then `seconds` measured; then
// typing stops, the rest is delivered and every document must converge.
export async function runPhase(target, { docIds, perDoc, rate, selections, warmup, seconds, cpuGroups, maxLoopDelay }) {
  await target.prepare(docIds);
  const recorder = new LatencyRecorder();
  const groups = await openClients(target, docIds, perDoc, recorder, selections);
  const clients = groups.flat();
  const loadAverage = loadavg()[0];
  const loop = new OpenLoop();
  const startAt = performance.now() + 100;
  for (const client of clients) loop.add(client, 1000 / rate, startAt);
  loop.start();
  await delay(warmup * 1000);
  const from = performance.now();
  recorder.measure(from, from + seconds * 1000);
  loop.measure(from, from + seconds * 1000);
  const selectionsBefore = clients.reduce((sum, client) => sum + client.selectionsReceived, 0);
  const watched = watchWindow(cpuGroups());
  await delay(seconds * 1000);
  const load = watched();
  const selectionsInWindow = clients.reduce((sum, client) => sum + client.selectionsReceived, 0) - selectionsBefore;
  loop.stop();
  // Every keystroke delivered and acknowledged, then every client of a document at the same
  // revision with the same text. Both waits have deadlines; a miss is reported.
  const drained = await settle(() => recorder.outstanding === 0 && clients.every((client) => client.settled), DRAIN_MS, 'the last keystrokes');
  const converged = drained && (await settle(() => groups.every((group) => target.converged(group)), DRAIN_MS, 'convergence'));
  const result = {
    ...summarise({ recorder, loop, load, seconds, cpuGroups: cpuGroups(), maxLoopDelay }),
    selectionsReceivedPerSecond: selectionsInWindow / seconds,
    loadAverage,
    drained,
    converged,
    incomplete: recorder.incompleteKeystrokes,
    ...problems(clients),
  };
  await Promise.all(clients.map((client) => client.close()));
  return result;
}

// The ramp: one layout of documents and clients, the typing rate of every client multiplied by
// `factor` each step, from `startRate`. A step is `warmup` seconds at its rate, `seconds`
// measured, then `tail` seconds more at the same rate for the window's last keystrokes to
// arrive (any still missing then count as infinitely late). A step is sustained when its
// keystroke → last peer p99 is within `p99Limit` ms, nothing failed, and the load generator
// kept up (event-loop delay p99 within `maxLoopDelay`); the ramp stops at the first step that
// is not. Reported: every step, and the last sustained one.
export async function runRamp(target, { docIds, perDoc, startRate, factor, maxSteps, warmup, seconds, tail, p99Limit, cpuGroups, maxLoopDelay, log }) {
  await target.prepare(docIds);
  const recorder = new LatencyRecorder();
  const groups = await openClients(target, docIds, perDoc, recorder, false);
  const clients = groups.flat();
  const loop = new OpenLoop();
  const startAt = performance.now() + 100;
  for (const client of clients) loop.add(client, 1000 / startRate, startAt);
  loop.start();
  const steps = [];
  let sustained = null;
  let stoppedBy = `the last step (${maxSteps})`;
  for (let step = 0; step < maxSteps; step++) {
    const rate = startRate * factor ** step;
    loop.setPeriod(1000 / rate);
    const loadAverage = loadavg()[0];
    await delay(warmup * 1000);
    const from = performance.now();
    recorder.measure(from, from + seconds * 1000);
    loop.measure(from, from + seconds * 1000);
    const errorsBefore = clients.reduce((sum, client) => sum + client.errors.length + client.anomalies.length, 0);
    const watched = watchWindow(cpuGroups());
    await delay(seconds * 1000);
    const load = watched();
    await delay(tail * 1000);
    const summary = summarise({ recorder, loop, load, seconds, cpuGroups: cpuGroups(), maxLoopDelay });
    const failures = clients.reduce((sum, client) => sum + client.errors.length + client.anomalies.length, 0) - errorsBefore;
    const entry = { step, ratePerClient: rate, offeredPerSecond: rate * clients.length, loadAverage, failures, ...summary };
    entry.sustained = entry.valid && failures === 0 && entry.lastPeer.p99 <= p99Limit;
    steps.push(entry);
    log?.(`  step ${step + 1}: ${Math.round(entry.keystrokesPerSecond)} keystrokes/s (${rate.toFixed(2)}/s per client), ${Math.round(entry.opsPerSecond)} ops/s, last peer p99 ${entry.lastPeer.p99.toFixed(1)} ms, generator loop delay / typed late p99 ${entry.loop.delayP99.toFixed(1)} / ${entry.scheduleLag.p99.toFixed(1)} ms${entry.sustained ? '' : ' — not sustained'}`);
    if (!entry.sustained) {
      stoppedBy = !entry.valid ? 'the load generator (its loop delay or lateness)' : failures > 0 ? 'errors' : `p99 over ${p99Limit} ms`;
      break;
    }
    sustained = entry;
  }
  loop.stop();
  // Whatever is still in flight is let through before the sockets close (not measured); the
  // step that ended the ramp may have left a backlog, hence the longer wait.
  await settle(() => clients.every((client) => client.settled), 4 * DRAIN_MS, 'the last keystrokes');
  const converged = await settle(() => groups.every((group) => target.converged(group)), DRAIN_MS, 'convergence');
  const result = {
    steps,
    sustained,
    stoppedBy,
    // Invalid when the load generator fell behind before the target did: the last sustained
    // step is then only a lower bound of what the target sustains.
    valid: steps.length > 0 && steps[steps.length - 1].valid,
    limitedByGenerator: steps.length > 0 && !steps[steps.length - 1].valid,
    drained: true,
    converged,
    ...problems(clients),
  };
  await Promise.all(clients.map((client) => client.close()));
  return result;
}
