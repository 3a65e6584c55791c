// The figures of the report, from the timeline's operations ({kind, start, end, latency, cause,
// ok}) and the fault log. Pure functions: no clock, no I/O.
import { Samples } from '../../collab/lib/stats.mjs';
import { isContractError } from './outcomes.mjs';

const increment = (object, key, by = 1) => {
  object[key] = (object[key] ?? 0) + by;
};

// Per kind: how many, how many ok, and the errors by cause.
export function countsByKind(operations) {
  const byKind = {};
  for (const op of operations) {
    byKind[op.kind] ??= { count: 0, ok: 0, errors: {} };
    const entry = byKind[op.kind];
    entry.count++;
    if (op.ok) entry.ok++;
    else increment(entry.errors, op.cause);
  }
  return byKind;
}

// Per cause: how many, and of which kinds.
export function errorsByCause(operations) {
  const byCause = {};
  for (const op of operations) {
    if (op.ok) continue;
    byCause[op.cause] ??= { count: 0, kinds: {} };
    byCause[op.cause].count++;
    increment(byCause[op.cause].kinds, op.kind);
  }
  return byCause;
}

// Latency p50/p99 of the successful operations of each kind, per minute of the run (by when
// they started; minute 0 starts at `origin`). Failed operations are counted, not timed.
export function percentilesPerMinute(operations, origin) {
  const buckets = new Map(); // minute → kind → {samples, failed}
  for (const op of operations) {
    const minute = Math.max(0, Math.floor((op.start - origin) / 60000));
    if (!buckets.has(minute)) buckets.set(minute, new Map());
    const kinds = buckets.get(minute);
    if (!kinds.has(op.kind)) kinds.set(op.kind, { samples: new Samples(), failed: 0 });
    const entry = kinds.get(op.kind);
    if (op.ok) entry.samples.add(op.latency);
    else entry.failed++;
  }
  const rows = [];
  for (const minute of [...buckets.keys()].sort((a, b) => a - b)) {
    const kinds = {};
    for (const [kind, entry] of buckets.get(minute)) {
      const summary = entry.samples.summary();
      kinds[kind] = { ok: summary.count, failed: entry.failed, p50: summary.p50, p99: summary.p99 };
    }
    rows.push({ minute, kinds });
  }
  return rows;
}

// When the platform recovered from a fault that started at `from` (its action — the restart,
// the engine answering again — finished at `actionEnd`): the first moment after which every
// kind of operation that failed since the fault has succeeded again (after its own last
// failure), with no operation of any kind failing for `stableMs` after that moment nor within
// `stableMs` of the action's end.
// Operations count at their end (an answer, or its deadline); only those ending before `limit`
// (the next fault, or the end of the load) are looked at. A fault no operation failed for
// recovered at once (0 ms). `recoveredAt` null: not recovered before `limit`.
export function recovery(operations, { from, actionEnd = from, limit, stableMs = 5000 }) {
  const events = operations.filter((op) => op.end >= from && op.end < limit).sort((a, b) => a.end - b.end);
  const failures = events.filter((op) => !op.ok);
  // Per kind, the end times of its successes in order: the first after a moment by bisection
  // (a minute of 200 users is tens of thousands of operations, a Docker restart thousands of
  // failures).
  const successes = new Map();
  for (const op of events) {
    if (!op.ok) continue;
    if (!successes.has(op.kind)) successes.set(op.kind, []);
    successes.get(op.kind).push(op.end);
  }
  const firstSuccessAfter = (kind, time) => {
    const ends = successes.get(kind) ?? [];
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (ends[middle] > time) high = middle;
      else low = middle + 1;
    }
    return low < ends.length ? ends[low] : null;
  };
  // Candidates in order: the fault itself, then the end of each failure; failures up to a
  // candidate are those before it in the sorted list.
  const lastFailure = new Map();
  for (let index = -1; index < failures.length; index++) {
    if (index >= 0) lastFailure.set(failures[index].kind, failures[index].end);
    const candidate = index < 0 ? from : failures[index].end;
    // Each kind that failed is back at its first success after its own last failure so far.
    let back = candidate;
    let allBack = true;
    for (const [kind, failedAt] of lastFailure) {
      const success = firstSuccessAfter(kind, failedAt);
      if (success === null) {
        allBack = false;
        break;
      }
      back = Math.max(back, success);
    }
    if (!allBack) continue;
    const quietUntil = Math.min(Math.max(back, actionEnd) + stableMs, limit);
    const nextFailure = failures[index + 1];
    // (one that ended at the same moment is the next candidate's)
    if (nextFailure !== undefined && nextFailure.end <= quietUntil) continue;
    return { recoveredAt: back, ms: back - from, failures: failures.length };
  }
  return { recoveredAt: null, ms: null, failures: failures.length };
}

// Each fault with its recovery and the window its errors are attributed to: from the fault to
// `stableMs` after it recovered (or after its action ended, whichever is later), cut at the
// next fault; a fault that did not recover keeps the window up to the next fault. Errors in a
// window are listed by cause and those the contract does not allow (anything but 503/429) are
// flagged; errors outside every window are returned apart.
export function faultWindows(operations, faults, { loadEnd, stableMs = 5000, reconnects = [] }) {
  const sorted = [...faults].sort((a, b) => a.at - b.at);
  const windows = sorted.map((fault, index) => {
    const limit = Math.min(index + 1 < sorted.length ? sorted[index + 1].at : Infinity, loadEnd);
    const actionEnd = fault.endedAt ?? fault.at;
    const recovered = recovery(operations, { from: fault.at, actionEnd, limit, stableMs });
    const end = recovered.recoveredAt === null ? limit : Math.min(limit, Math.max(recovered.recoveredAt, actionEnd) + stableMs);
    return { fault, from: fault.at, to: end, recovery: recovered, errors: {}, flagged: {}, reconnects: {}, maxLatency: {} };
  });
  const outside = {};
  for (const op of operations) {
    const window = windows.find((candidate) => op.end >= candidate.from && op.end < candidate.to);
    if (window !== undefined && op.ok) {
      window.maxLatency[op.kind] = Math.max(window.maxLatency[op.kind] ?? 0, op.latency);
    }
    if (op.ok) continue;
    if (window === undefined) {
      increment(outside, op.cause);
      continue;
    }
    increment(window.errors, op.cause);
    if (!isContractError(op.cause)) increment(window.flagged, `${op.kind} ${op.cause}`);
  }
  for (const reconnect of reconnects) {
    const window = windows.find((candidate) => reconnect.at >= candidate.from && reconnect.at < candidate.to);
    if (window !== undefined) increment(window.reconnects, reconnect.cause);
  }
  return { windows, outside };
}
