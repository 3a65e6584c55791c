import { performance } from 'node:perf_hooks';
import { Samples } from './stats.mjs';

// Keystroke → peer latency. Each keystroke has the time it was due on the typing schedule (open
// loop: the schedule does not wait for the system, and a keystroke the load generator types late
// is measured from when it was due). When the client puts it on the wire (alone, or composed
// with later keystrokes while an earlier operation is unacknowledged), every keystroke not yet
// sent is attached to that frame's key. Each receiving client reports the frame's key the moment
// the frame reaches its socket (before any parsing or OT work of its own). A keystroke's
// latency to one peer is that arrival minus its due time; its fan-out latency is the arrival at
// the last of the expected peers.
//
// Only keystrokes due within the window [from, to) are measured. Acknowledgements that arrive
// within it are counted (operations a second the server committed). To see where the time goes,
// three parts are kept too, for frames carrying measured keystrokes: keystroke → its frame on the
// wire (waiting at the client for the previous op's ack), frame on the wire → the sender's own
// ack, frame on the wire → the last peer.
export class LatencyRecorder {
  #frames = new Map();
  #awaitingAck = new Map();
  window = { from: Infinity, to: -Infinity };

  constructor() {
    this.#resetSamples();
  }

  #resetSamples() {
    this.perPeer = new Samples();
    this.toLastPeer = new Samples();
    this.heldAtClient = new Samples();
    this.frameToAck = new Samples();
    this.frameToLastPeer = new Samples();
    this.recordedKeystrokes = 0;
    this.acksInWindow = 0;
    this.unknownArrivals = 0;
  }

  // A new measured window (the ramp's next step): samples start over.
  measure(from, to) {
    this.#resetSamples();
    this.window = { from, to };
  }

  #inWindow(time) {
    return time >= this.window.from && time < this.window.to;
  }

  // keystrokeTimes: due times (performance.now() clock); expectedPeers: how many arrivals complete it.
  sent(key, keystrokeTimes, expectedPeers) {
    const sentAt = performance.now();
    const measured = keystrokeTimes.filter((time) => this.#inWindow(time));
    this.recordedKeystrokes += measured.length;
    for (const time of measured) this.heldAtClient.add(sentAt - time);
    this.#frames.set(key, { times: measured, remaining: expectedPeers, sentAt });
    this.#awaitingAck.set(key, { sentAt, measured: measured.length > 0 });
  }

  arrived(key, at = performance.now()) {
    const frame = this.#frames.get(key);
    if (frame === undefined) {
      this.unknownArrivals++;
      return;
    }
    for (const time of frame.times) this.perPeer.add(at - time);
    if (--frame.remaining === 0) {
      for (const time of frame.times) this.toLastPeer.add(at - time);
      if (frame.times.length > 0) this.frameToLastPeer.add(at - frame.sentAt);
      this.#frames.delete(key);
    }
  }

  acknowledged(key, at = performance.now()) {
    if (this.#inWindow(at)) this.acksInWindow++;
    const entry = this.#awaitingAck.get(key);
    if (entry === undefined) return;
    if (entry.measured) this.frameToAck.add(at - entry.sentAt);
    this.#awaitingAck.delete(key);
  }

  // Frames still waiting for at least one peer (those with measured keystrokes only).
  get outstanding() {
    let count = 0;
    for (const frame of this.#frames.values()) if (frame.times.length > 0) count++;
    return count;
  }

  // Measured keystrokes that have not reached their last peer (yet).
  get incompleteKeystrokes() {
    let count = 0;
    for (const frame of this.#frames.values()) count += frame.times.length;
    return count;
  }

  // Fan-out latency of the window; keystrokes that are due but not delivered count as
  // infinitely late (so that a backlog raises the p99 instead of vanishing from it).
  lastPeerSummary({ missing = 0 } = {}) {
    return this.toLastPeer.summary({ missing });
  }
}

// Resolves when condition() holds, checking every `everyMs`; rejects after `timeoutMs` with `what`.
export function waitFor(condition, timeoutMs, what, everyMs = 10) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const check = () => {
      let value;
      try {
        value = condition();
      } catch (error) {
        reject(error);
        return;
      }
      if (value) resolve(value);
      else if (performance.now() > deadline) reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      else setTimeout(check, everyMs);
    };
    check();
  });
}

// Like waitFor, but never rejects: resolves true when the condition held, false at the deadline.
export async function settle(condition, timeoutMs, what) {
  try {
    await waitFor(condition, timeoutMs, what);
    return true;
  } catch {
    return false;
  }
}
