import { performance } from 'node:perf_hooks';
import { Samples } from './stats.mjs';

// Keystroke → peer latency. A client notes each keystroke's time when the user "types" it; when
// the protocol puts it on the wire (alone, or composed with later keystrokes while an earlier
// operation is unacknowledged), every keystroke not yet sent is attached to that frame's key.
// Each receiving client reports the frame's key the moment the frame reaches its socket (before
// any parsing or OT work of its own). A keystroke's latency to one peer is that arrival minus the
// keystroke's time; its fan-out latency is the arrival at the last of the expected peers.
//
// To see where the time goes, three parts are kept too, for frames carrying measured keystrokes:
// keystroke → its frame on the wire (waiting at the client for the previous op's ack), frame on
// the wire → the sender's own ack, frame on the wire → the last peer.
export class LatencyRecorder {
  #frames = new Map();
  #awaitingAck = new Map();
  perPeer = new Samples();
  toLastPeer = new Samples();
  heldAtClient = new Samples();
  frameToAck = new Samples();
  frameToLastPeer = new Samples();
  window = { from: Infinity, to: -Infinity }; // keystrokes typed in [from, to) are measured
  recordedKeystrokes = 0;
  unknownArrivals = 0;

  // keystrokeTimes: performance.now() values; expectedPeers: how many arrivals complete it.
  sent(key, keystrokeTimes, expectedPeers) {
    const sentAt = performance.now();
    const measured = keystrokeTimes.filter((time) => time >= this.window.from && time < this.window.to);
    this.recordedKeystrokes += measured.length;
    for (const time of measured) this.heldAtClient.add(sentAt - time);
    this.#frames.set(key, { times: measured, remaining: expectedPeers, sentAt });
    if (measured.length > 0) this.#awaitingAck.set(key, sentAt);
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
    const sentAt = this.#awaitingAck.get(key);
    if (sentAt === undefined) return;
    this.frameToAck.add(at - sentAt);
    this.#awaitingAck.delete(key);
  }

  // Frames still waiting for at least one peer (those with recorded keystrokes only).
  get outstanding() {
    let count = 0;
    for (const frame of this.#frames.values()) if (frame.times.length > 0) count++;
    return count;
  }

  get incompleteKeystrokes() {
    let count = 0;
    for (const frame of this.#frames.values()) count += frame.times.length;
    return count;
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
