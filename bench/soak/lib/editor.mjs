// A collaborative editor that types marker tokens and puts what happens to it on the timeline.
// The protocol is web/e2e/collab's client (ot.js's state machine; reconnects with growing waits,
// resumes from its revision, resends the unacknowledged operation with the same id, joins afresh
// after unknown_revision, keeps the markers whose inserts were acknowledged); this adds:
//   edit            one sent operation, from the wire to its ack (a resend after a reconnect is
//                   the same operation: its time includes the outage)
//   collab-connect  one connection attempt that failed (by cause), or a resume that succeeded
//   reconnects      each socket the server or a fault dropped (by close code), apart from errors
// and paces its reconnection attempts as the web app does.
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { CollabClient } from '../../../web/e2e/collab/collab-client.mjs';
import { insertPoint } from './insert-point.mjs';
import { connectFailureCause, OK } from './outcomes.mjs';
import { now } from './timeline.mjs';

// ot.js from where the client resolves it (web/node_modules), so both use the same copy.
const TextOperation = createRequire(new URL('../../../web/e2e/collab/collab-client.mjs', import.meta.url))('ot/lib/text-operation.js');

export class RecordingEditor extends CollabClient {
  #timeline;
  #opTimeoutMs;
  #inFlight = null;
  #seen = { serverDrops: 0, resumeMs: 0, errors: 0, failures: {} };

  #attempt = 0;
  #joinsSeen = 0;

  constructor(options, { timeline, opTimeoutMs }) {
    // The client asks for a token before each connection attempt: that is where the attempts
    // are paced (the client's own waits are a few hundred milliseconds at most, a storm when
    // hundreds of editors lose an instance at once).
    super({ ...options, accessToken: () => this.#paced(options.accessToken) });
    this.#timeline = timeline;
    this.#opTimeoutMs = opTimeoutMs;
  }

  // The web app's pacing (web/src/ide/collab/connection.ts, scheduleReconnect): the first
  // attempt at once, then up to 250 ms × 2^attempt (at most 8 s), with jitter of half of it.
  async #paced(accessToken) {
    const joins = this.stats.resumes + this.stats.freshJoins;
    if (joins !== this.#joinsSeen) {
      this.#joinsSeen = joins;
      this.#attempt = 0;
    }
    const attempt = this.#attempt++;
    if (attempt > 0) await delay(Math.min(8000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
    return accessToken();
  }

  // ot.js hook: a new operation goes out (a resend keeps the first send's time).
  sendOperation(revision, operation) {
    const resend = this.resending;
    super.sendOperation(revision, operation);
    if (!resend) this.#inFlight = now();
  }

  // ot.js hook: the operation in flight was acknowledged.
  serverAck() {
    if (this.#inFlight !== null) {
      const latency = now() - this.#inFlight;
      this.#timeline.record('edit', this.#inFlight, latency, latency > this.#opTimeoutMs ? 'timeout' : OK);
      this.#inFlight = null;
    }
    super.serverAck();
  }

  // Types `marker` and a space at a random place that does not split a character or another
  // marker; false when there is no document to type into yet.
  typeMarker(marker, rng) {
    if (!this.hasDocument || this.fatal || this.phase === 'closed') return false;
    const at = insertPoint(this.text, rng.int(0, this.text.length));
    const operation = new TextOperation().retain(at).insert(`${marker} `).retain(this.text.length - at);
    this.edit({ operation, inserted: [marker], deleted: [] });
    return true;
  }

  // Puts on the timeline what the client's counters say happened since the last look (the client
  // keeps counts, not events; looked at every half second, so such events are stamped to within
  // that).
  poll() {
    const at = now();
    for (; this.#seen.serverDrops < this.stats.serverDrops; this.#seen.serverDrops++) {
      this.#timeline.reconnect(at, `ws-close:${this.lastDropCode ?? '?'}`);
    }
    for (; this.#seen.resumeMs < this.resumeMs.length; this.#seen.resumeMs++) {
      const took = this.resumeMs[this.#seen.resumeMs];
      this.#timeline.record('collab-connect', at - took, took, took > this.#opTimeoutMs ? 'timeout' : OK);
      const last = this.#timeline.reconnects.at(-1);
      if (last !== undefined && last.resumeMs === null) last.resumeMs = took;
    }
    for (const [why, count] of Object.entries(this.connectFailures)) {
      const before = this.#seen.failures[why] ?? 0;
      const took = Number(/after (\d+) ms/.exec(why)?.[1] ?? 0);
      for (let i = before; i < count; i++) this.#timeline.record('collab-connect', at - took, took, connectFailureCause(why));
      this.#seen.failures[why] = count;
    }
    for (; this.#seen.errors < this.errors.length; this.#seen.errors++) {
      const frame = this.errors[this.#seen.errors];
      // unknown_revision drops the operation in flight (the client joins afresh): it is lost
      // unacknowledged, which the verification allows; rate_limited is resent by the client.
      if (frame.code === 'unknown_revision') this.#inFlight = null;
      this.#timeline.record('edit', at, 0, `collab:${frame.code}`);
    }
  }
}

// The text of a document as a fresh join sees it, or throws.
export async function readDocument({ url, workspaceId, path, accessToken }) {
  const reader = new CollabClient({ url, workspaceId, path, accessToken, name: `reader ${path}` });
  try {
    await reader.connect();
    return { text: reader.text, revision: reader.revision };
  } finally {
    reader.close();
  }
}
