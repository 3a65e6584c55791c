import { performance } from 'node:perf_hooks';
import { OK } from './outcomes.mjs';

// Wall-clock milliseconds with sub-millisecond steps: the fault script is another process, and
// both stamp their events on this same clock.
export const now = () => performance.timeOrigin + performance.now();

// Every operation of the soak, in the order they ended: kind, start, latency and outcome
// (lib/outcomes.mjs). Kept as columns, since a 10-minute run of 200 users records a few hundred
// thousand. Reconnects of collaboration sockets are kept apart: the contract expects them
// during a fault, so they are counted, not called errors.
export class Timeline {
  kinds = [];
  causes = [];
  kind = [];
  start = [];
  latency = [];
  cause = [];
  reconnects = []; // {at, cause, resumeMs?}

  #kindIndex = new Map();
  #causeIndex = new Map();

  #index(map, list, name) {
    let index = map.get(name);
    if (index === undefined) {
      index = list.length;
      list.push(name);
      map.set(name, index);
    }
    return index;
  }

  record(kind, startedAt, latencyMs, cause = OK) {
    this.kind.push(this.#index(this.#kindIndex, this.kinds, kind));
    this.start.push(startedAt);
    this.latency.push(latencyMs);
    this.cause.push(this.#index(this.#causeIndex, this.causes, cause));
  }

  reconnect(at, cause, resumeMs = null) {
    this.reconnects.push({ at, cause, resumeMs });
  }

  get size() {
    return this.kind.length;
  }

  // The operations as objects, for analysis: {kind, start, end, latency, cause, ok}.
  *operations() {
    for (let i = 0; i < this.kind.length; i++) {
      const cause = this.causes[this.cause[i]];
      yield { kind: this.kinds[this.kind[i]], start: this.start[i], end: this.start[i] + this.latency[i], latency: this.latency[i], cause, ok: cause === OK };
    }
  }

  toJSON() {
    return {
      kinds: this.kinds,
      causes: this.causes,
      columns: 'kind, start (Unix ms), latency ms, cause (indexes into kinds and causes)',
      kind: this.kind,
      start: this.start.map((value) => Math.round(value)),
      latency: this.latency.map((value) => Math.round(value * 10) / 10),
      cause: this.cause,
      reconnects: this.reconnects,
    };
  }
}
