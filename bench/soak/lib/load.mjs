// The users of the soak: made in groups of --users-per-workspace (the first of each the owner),
// started one after another over the ramp, stopped together, and given time to get their last
// edits acknowledged before their sockets close.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { deriveSeed, Rng } from '../../../web/e2e/collab/rng.mjs';
import { Group, SimUser } from './user.mjs';

const EDITOR_POLL_MS = 500;

export class Load {
  constructor({ options, http, timeline, log }) {
    this.options = options;
    this.http = http;
    this.timeline = timeline;
    this.log = log;
    this.stopper = new AbortController();
    // Every wait of every user listens for the stop: hundreds at once, none of them a leak.
    setMaxListeners(0, this.stopper.signal);
    this.users = [];
    this.groups = [];
    this.runs = [];
    const run = randomBytes(3).toString('hex');
    for (let index = 0; index < options.users; index++) {
      const groupIndex = Math.floor(index / options.usersPerWorkspace);
      if (groupIndex === this.groups.length) this.groups.push(new Group(groupIndex, `soak-${run}-${groupIndex}`));
      const group = this.groups[groupIndex];
      const user = new SimUser({
        index,
        username: `soak-${run}-${index}`,
        group,
        http,
        timeline,
        options,
        rng: new Rng(deriveSeed(options.seed, index)),
        stopSignal: this.stopper.signal,
      });
      group.owner ??= user;
      group.users.push(user);
      this.users.push(user);
    }
  }

  get editors() {
    return this.users.flatMap((user) => user.editors);
  }

  // Starts every user, evenly over the ramp; resolves once the last has been started.
  async start() {
    this.poller = setInterval(() => {
      for (const user of this.users) user.editor?.poll();
    }, EDITOR_POLL_MS);
    const spacingMs = (this.options.rampSeconds * 1000) / this.users.length;
    for (const user of this.users) {
      if (this.stopper.signal.aborted) break;
      this.runs.push(user.run().catch((error) => {
        user.problem ??= error.message;
      }));
      try {
        await delay(spacingMs, undefined, { signal: this.stopper.signal });
      } catch {
        break;
      }
    }
  }

  // Stops the users (each finishes what it is doing, no more retries), waits up to
  // settleSeconds for every live editor to have its edits acknowledged, then closes them all.
  async stop() {
    this.stopper.abort();
    this.http.stopping = true;
    await Promise.race([Promise.allSettled(this.runs), delay(this.options.opTimeoutMs * 2)]);
    const deadline = Date.now() + this.options.settleSeconds * 1000;
    const pending = () => this.users.map((user) => user.editor).filter((editor) => editor !== null && !editor.fatal && !editor.idle);
    while (pending().length > 0 && Date.now() < deadline) await delay(250);
    const unsettled = pending().length;
    clearInterval(this.poller);
    for (const editor of this.editors) {
      editor.poll();
      editor.close();
    }
    return { unsettled };
  }

  // What the progress line shows.
  snapshot() {
    const states = {};
    for (const user of this.users) states[user.state] = (states[user.state] ?? 0) + 1;
    const live = this.users.filter((user) => user.editor?.phase === 'live').length;
    return { states, live };
  }
}
