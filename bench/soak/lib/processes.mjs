// The processes of a running `./webide up`, found as `./webide stats` finds them: the AppHost of
// this checkout carries the run's marker (WEBIDE_RUN_ID) in its environment, so does everything
// it starts, and the orchestrator's sessions hold the rest (redis-server and RabbitMQ's helpers
// do not all keep the marker). Reading other users' /proc entries needs root: as another user
// only one's own processes are found.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { allPids, commandLine, environmentOf, parentOf, rssKiB, sessionOf, startTicksOf } from '../../collab/lib/proc.mjs';

export const SERVICES = ['Identity', 'FileSystem', 'Collaboration', 'Execution', 'Gateway'];
// Names of what the platform runs besides its services (the webide script's ORCHESTRATOR_NAMES).
const INFRASTRUCTURE = /^(dcp|dcpctrl|dcpproc|redis-server|beam\.smp|epmd|erl_child_setup|inet_gethost|heart)$/;

export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

// The marker of the `./webide up` running from `root` (its AppHost's command line points into
// root/AppHost/), or null.
export function runMarker(root) {
  const needle = `${root.replace(/\/+$/, '')}/AppHost/`;
  for (const pid of allPids()) {
    if (!commandLine(pid).includes(needle)) continue;
    const marker = environmentOf(pid).WEBIDE_RUN_ID;
    if (marker) return marker;
  }
  return null;
}

// Which service a process is, from its command line: the built binary (`…/WebIde.Collaboration`)
// or `dotnet …/WebIde.Collaboration.dll`. `gate`: execution started as the Docker gate.
export function serviceOf(pid) {
  const args = commandLine(pid).split(' ');
  const program = basename(args[0] ?? '');
  const binary = program === 'dotnet' ? basename(args.find((arg) => arg.endsWith('.dll')) ?? '').replace(/\.dll$/, '') : program;
  const match = /^WebIde\.(\w+)$/.exec(binary);
  if (match === null || !SERVICES.includes(match[1])) return null;
  const environment = environmentOf(pid);
  return {
    service: match[1],
    gate: args.includes('docker-gate'),
    // The AppHost names each instance's telemetry after its resource (collaboration-1, …).
    instance: environment.OTEL_SERVICE_NAME ?? (args.includes('docker-gate') ? 'docker-gate' : match[1].toLowerCase()),
  };
}

// A readable name for a process in the tables.
export function labelOf(pid) {
  const service = serviceOf(pid);
  if (service !== null) return service.gate ? 'docker-gate' : service.instance;
  const comm = commOf(pid);
  const args = commandLine(pid);
  if (comm === 'dcp') return args.includes('monitor-process') ? 'dcp(monitor)' : `dcp(${args.split(' ')[1] ?? ''})`;
  if (comm === 'dotnet' || /WebIde\.AppHost/.test(args)) return /AppHost/.test(args) ? 'AppHost' : `dotnet(${(/[\w.]+\.(dll|csproj)/.exec(args) ?? ['?'])[0]})`;
  return comm || '?';
}

// Every pid of the run: marked processes, and the members of their sessions whose leader is
// marked or gone (the orchestrator's own sessions; never the terminal's, whose shell is not
// marked), without this process and its session.
export function platformPids(marker) {
  if (marker === null) return [];
  const self = process.pid;
  const ownSession = sessionOf(self);
  const pids = allPids();
  const marked = new Set(pids.filter((pid) => pid !== self && environmentOf(pid).WEBIDE_RUN_ID === marker));
  const sessions = new Set();
  for (const pid of marked) {
    const session = sessionOf(pid);
    if (session === null || session <= 1 || session === ownSession) continue;
    if (marked.has(session) || startTicksOf(session) === null) sessions.add(session);
  }
  const found = new Set(marked);
  for (const pid of pids) {
    if (pid !== self && sessions.has(sessionOf(pid))) found.add(pid);
  }
  return [...found].sort((a, b) => a - b);
}

// One RSS sample of the platform's processes: {label, at, processes: [{pid, start, name, rssKiB}]}.
export function sampleRss(marker, label, at = Date.now()) {
  const processes = [];
  for (const pid of platformPids(marker)) {
    const rss = rssKiB(pid);
    const start = startTicksOf(pid);
    if (rss === null || start === null) continue;
    processes.push({ pid, start, name: labelOf(pid), rssKiB: rss });
  }
  return { label, at, processes };
}

// The service instances a fault may kill (never the Docker gate), the platform's redis-server
// and RabbitMQ (beam.smp).
export function serviceInstances(marker) {
  return platformPids(marker)
    .map((pid) => ({ pid, start: startTicksOf(pid), ...serviceOf(pid) }))
    .filter((entry) => entry.service !== undefined && !entry.gate);
}

export const platformProcessesNamed = (marker, comm) => platformPids(marker).filter((pid) => commOf(pid) === comm);

// Processes of the platform's kinds (its services and infrastructure) whose parent is PID 1,
// i.e. orphans whose parent died: {pid, start, name, command}.
export function orphans() {
  const found = [];
  for (const pid of allPids()) {
    if (parentOf(pid) !== 1) continue;
    if (serviceOf(pid) === null && !INFRASTRUCTURE.test(commOf(pid))) continue;
    found.push({ pid, start: startTicksOf(pid), name: labelOf(pid), command: commandLine(pid).slice(0, 200) });
  }
  return found;
}

// Instances (by name) that run in more than one process at once: an old one left behind by a
// restart.
export function duplicateInstances(marker) {
  const byInstance = new Map();
  for (const entry of serviceInstances(marker)) {
    if (!byInstance.has(entry.instance)) byInstance.set(entry.instance, []);
    byInstance.get(entry.instance).push(entry.pid);
  }
  return [...byInstance.entries()].filter(([, pids]) => pids.length > 1).map(([instance, pids]) => ({ instance, pids }));
}

// An environment variable of the first service process of `service` that has it.
export function serviceEnvironment(marker, service, name) {
  for (const entry of serviceInstances(marker).filter((candidate) => candidate.service === service)) {
    const value = environmentOf(entry.pid)[name];
    if (value !== undefined) return value;
  }
  return undefined;
}
