import { Rng } from '../../../web/e2e/collab/rng.mjs';

export const FAULT_KINDS = ['kill-service', 'restart-redis', 'restart-rabbitmq', 'restart-docker'];

// When each fault happens and which: one every `intervalMs` from `firstAtMs` while at least
// `tailMs` of the run is left after it (so its recovery is seen), the kinds in rotation, each
// round of the four in an order shuffled by the seed. Times are offsets from the run's start.
export function faultSchedule({ seed, firstAtMs, intervalMs, untilMs, tailMs = intervalMs / 2, kinds = FAULT_KINDS }) {
  const rng = new Rng(seed);
  const schedule = [];
  let round = [];
  for (let at = firstAtMs; at <= untilMs - tailMs; at += intervalMs) {
    if (round.length === 0) round = rng.sample(kinds, kinds.length);
    schedule.push({ atMs: at, kind: round.shift() });
  }
  return schedule;
}
