// The checks after the soak, on what was read back. Pure: the reading is the caller's.
import { markersIn } from '../../../web/e2e/collab/edits.mjs';

// Every acknowledged marker must be in the document's final text exactly once (the soak only
// inserts, so nothing may remove one): lost ones are missing, duplicated ones are there twice
// or more (an operation applied twice).
export function verifyMarkers(acknowledged, text) {
  const counts = new Map();
  for (const marker of markersIn(text)) counts.set(marker, (counts.get(marker) ?? 0) + 1);
  const unique = [...new Set(acknowledged)];
  const lost = unique.filter((marker) => !counts.has(marker));
  const duplicated = unique.filter((marker) => (counts.get(marker) ?? 0) > 1);
  return { acknowledged: unique.length, present: unique.length - lost.length, lost, duplicated };
}

// A file written through REST must read back byte for byte as its last acknowledged write, or
// as one of the writes after it whose answer never came (those may have been applied).
// expectation: {path, acknowledged: string|null, uncertain: string[]}; read: string|null (null:
// could not be read).
export function verifySavedFile(expectation, read) {
  if (expectation.acknowledged === null && expectation.uncertain.length === 0) return { path: expectation.path, verdict: 'nothing acknowledged' };
  if (read === null) return { path: expectation.path, verdict: 'unreadable' };
  if (read === expectation.acknowledged) return { path: expectation.path, verdict: 'intact' };
  if (expectation.uncertain.includes(read)) return { path: expectation.path, verdict: 'intact (a later unanswered write)' };
  return { path: expectation.path, verdict: 'differs', length: read.length, expectedLength: expectation.acknowledged?.length ?? null };
}

export const savedFileIntact = (result) => result.verdict.startsWith('intact') || result.verdict === 'nothing acknowledged';

// Sandbox containers after the grace period: none stopped or dead, and no more running than the
// warm pools can hold. containers: [{id, state, labels}] (docker's State: running, exited, …).
export function verifyContainers(containers, { bound }) {
  const byState = {};
  for (const container of containers) byState[container.state] = (byState[container.state] ?? 0) + 1;
  const notRunning = containers.filter((container) => container.state !== 'running');
  const running = containers.length - notRunning.length;
  return { total: containers.length, byState, running, bound, notRunning, pass: notRunning.length === 0 && running <= bound };
}

// Processes left behind: orphans (parent PID 1) of the platform's kinds that were not there
// before the soak, and instances running twice.
export function verifyProcesses(orphansBefore, orphansAfter, duplicates) {
  const known = new Set(orphansBefore.map((entry) => `${entry.pid}:${entry.start}`));
  const fresh = orphansAfter.filter((entry) => !known.has(`${entry.pid}:${entry.start}`));
  return { orphans: fresh, duplicates, pass: fresh.length === 0 && duplicates.length === 0 };
}
