// One randomized collaborative session: a workspace, one file, N clients of a few users
// editing at random, dropping their connections at random, then the checks that every
// client, the server and the file agree and that no acknowledged insert was lost.

import { CollabClient } from './collab-client.mjs';
import { markersIn, randomEdit, randomInitialText } from './edits.mjs';
import { deriveSeed, Rng } from './rng.mjs';

const PATHS = ['main.py', 'src/app.ts', 'notes/ünïcødé 文档.md', 'README.md', 'a/b/c/deep.txt'];
const USERS_PER_SESSION = 3;

/**
 * @param {object} context
 * @param {import('./platform.mjs').Platform} context.platform
 * @param {import('./platform.mjs').User[]} context.users the pool to take this session's users from
 * @param {object} context.options the command line's options
 * @param {number} context.index
 * @param {number} context.seed this session's seed
 * @param {(event: string, session: Session) => void} context.onEvent
 */
export async function runSession(context) {
  const session = new Session(context);
  try {
    await session.run();
  } catch (error) {
    session.fail(`session aborted: ${error.message}`);
  } finally {
    session.closeAll();
  }
  if (session.failures.length === 0 && !context.options.keep) {
    try {
      await context.platform.deleteWorkspace(session.owner, session.workspaceId);
    } catch (error) {
      session.notes.push(`deleting the workspace failed: ${error.message}`);
    }
  }
  return session;
}

export class Session {
  constructor({ platform, users, options, index, seed, onEvent }) {
    this.platform = platform;
    this.options = options;
    this.index = index;
    this.seed = seed;
    this.onEvent = onEvent;
    this.rng = new Rng(seed);
    this.sessionUsers = this.rng.sample(users, Math.min(USERS_PER_SESSION, users.length));
    this.owner = this.sessionUsers[0];
    this.path = this.rng.pick(PATHS);
    this.initialText = randomInitialText(this.rng);
    this.clients = [];
    this.failures = [];
    this.notes = [];
    this.workspaceId = null;
    this.finalText = null;
    this.finalRevision = null;
    this.startedAt = Date.now();
    this.phase = 'setting up';
  }

  fail(reason) {
    this.failures.push(reason);
  }

  async run() {
    const { platform, options } = this;
    this.workspaceId = await platform.createWorkspace(this.owner, `collab-e2e-${this.index}`);
    for (const user of this.sessionUsers.slice(1)) {
      await platform.addEditor(this.owner, this.workspaceId, user.username);
    }
    await platform.writeFile(this.owner, this.workspaceId, this.path, this.initialText);

    for (let c = 0; c < options.clients; c++) {
      const user = this.sessionUsers[c % this.sessionUsers.length];
      this.clients.push(new CollabClient({
        url: options.url,
        workspaceId: this.workspaceId,
        path: this.path,
        accessToken: () => user.accessToken(),
        name: `s${this.index}/c${c}(${user.username})`,
        trace: options.trace ? (line) => process.stderr.write(`${line}\n`) : undefined,
      }));
    }
    await Promise.all(this.clients.map((client) => client.connect()));
    for (const client of this.clients) {
      if (client.revision !== 0 || client.text !== this.initialText) {
        this.fail(`${client.name} joined at revision ${client.revision} with ${describe(client.text)}; expected revision 0 and the file as written (${describe(this.initialText)})`);
      }
    }
    if (this.failures.length > 0) {
      return;
    }

    this.phase = 'editing';
    this.onEvent('editing', this);
    await Promise.all(this.clients.map((client, c) => this.#edit(client, new Rng(deriveSeed(this.seed, c)), c)));

    this.phase = 'settling';
    if (!(await this.#settle())) {
      return;
    }
    this.phase = 'checking';
    await this.#check();
  }

  /** One client's random edits, pauses and disconnects. */
  async #edit(client, rng, c) {
    const { options } = this;
    let markers = 0;
    const nextMarker = () => `⟦c${c}n${markers++}⟧`;
    for (let k = 0; k < options.ops; k++) {
      await delay(rng.chance(0.03) ? rng.int(300, 800) : rng.int(options.minDelayMs, options.maxDelayMs));
      if (client.fatal || this.failures.length > 0) {
        return;
      }
      if (rng.chance(options.disconnectRate / 2)) {
        // Dropped at a random moment: an op may or may not be outstanding.
        client.disconnectAbruptly(rng.int(0, options.maxReconnectDelayMs));
      }
      if (!client.hasDocument) {
        continue; // joining afresh after unknown_revision
      }
      const edit = randomEdit(rng, client.text, nextMarker, { clearChance: options.clearChance });
      client.edit(edit);
      if (rng.chance(options.disconnectRate / 2)) {
        // Dropped right after sending: the op is outstanding and may or may not have
        // reached the server.
        client.disconnectAbruptly(rng.int(0, options.maxReconnectDelayMs));
      }
    }
  }

  /** Waits (with a deadline) until every client is joined, synchronized, at one revision. */
  async #settle() {
    const settled = await waitFor(() => {
      if (this.clients.some((client) => client.fatal)) {
        return true;
      }
      const revision = this.clients[0].revision;
      return this.clients.every((client) => client.idle && client.revision === revision);
    }, this.options.settleMs);
    for (const client of this.clients.filter((candidate) => candidate.fatal)) {
      this.fail(`${client.name}: ${client.fatal}`);
    }
    if (this.failures.length > 0) {
      return false;
    }
    if (!settled) {
      this.fail(`clients did not settle within ${this.options.settleMs} ms: ${this.clients.map((client) => `${client.name} ${client.phase} rev ${client.revision} ${client.state.constructor.name}${client.lastConnectFailure ? ` (last connect failure: ${client.lastConnectFailure})` : ''}`).join('; ')}`);
      return false;
    }
    return true;
  }

  async #check() {
    const { platform, options } = this;
    const verifier = new CollabClient({
      url: options.url,
      workspaceId: this.workspaceId,
      path: this.path,
      accessToken: () => this.owner.accessToken(),
      name: `s${this.index}/verifier`,
    });
    try {
      await verifier.connect();
    } catch (error) {
      this.fail(`a fresh join to read the server's document failed: ${error.message}`);
      return;
    } finally {
      verifier.close();
    }
    this.finalText = verifier.text;
    this.finalRevision = verifier.revision;

    for (const client of this.clients) {
      if (client.revision !== verifier.revision) {
        this.fail(`${client.name} is at revision ${client.revision}, the server at ${verifier.revision}`);
      }
      if (client.text !== verifier.text) {
        this.fail(`${client.name} diverged from the server: ${difference(client.text, verifier.text)}`);
      }
      for (const violation of client.violations) {
        this.fail(`${client.name}: ${violation}`);
      }
      // A client that fell behind the server's history must join afresh and loses what it had
      // not had acknowledged: allowed, and counted; acknowledged edits are still checked.
      for (const error of client.errors.filter((frame) => frame.code === 'unknown_revision')) {
        this.notes.push(`${client.name} was told unknown_revision: ${JSON.stringify(error)}`);
      }
      if (!options.expectServerDrops && client.stats.serverDrops > 0) {
        this.fail(`${client.name}: the server closed the connection ${client.stats.serverDrops} time(s) (last code ${client.lastDropCode})`);
      }
      for (const ms of client.serverDropResumeMs.filter((value) => value > options.maxResumeMs)) {
        this.fail(`${client.name} took ${ms} ms to resume after the server dropped it (limit ${options.maxResumeMs} ms)`);
      }
    }
    this.#checkMarkers(verifier.text);

    let fileText = null;
    const matched = await waitFor(async () => {
      fileText = await platform.readFile(this.owner, this.workspaceId, this.path);
      return fileText === verifier.text;
    }, options.fileDeadlineMs, 150);
    if (!matched) {
      this.fail(`the file differs from the server's document ${options.fileDeadlineMs} ms after the last edit: ${difference(fileText ?? '', verifier.text)}`);
    }
  }

  /** Every acknowledged insert is in the text exactly once, unless an acknowledged delete removed it. */
  #checkMarkers(text) {
    const counts = new Map();
    for (const marker of markersIn(text)) {
      counts.set(marker, (counts.get(marker) ?? 0) + 1);
    }
    const deleted = new Set(this.clients.flatMap((client) => client.acknowledgedDeletes));
    const uncertain = new Set(this.clients.flatMap((client) => client.uncertainDeletes));
    const problems = [];
    for (const [marker, count] of counts) {
      if (count > 1) {
        problems.push(`${marker} is in the text ${count} times`);
      }
    }
    for (const marker of this.clients.flatMap((client) => client.acknowledgedInserts)) {
      const count = counts.get(marker) ?? 0;
      if (deleted.has(marker)) {
        if (count !== 0) {
          problems.push(`${marker} was deleted by an acknowledged op but is still there`);
        }
      } else if (!uncertain.has(marker) && count !== 1) {
        problems.push(`${marker} was inserted by an acknowledged op but is missing`);
      }
    }
    if ((text.match(/⟦/g)?.length ?? 0) !== markersIn(text).length) {
      problems.push('a marker was cut apart');
    }
    if (problems.length > 0) {
      this.fail(`acknowledged edits lost or duplicated: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` … (${problems.length} in all)` : ''}`);
    }
  }

  closeAll() {
    for (const client of this.clients) {
      client.close();
    }
  }

  get editingClients() {
    return this.phase === 'editing' ? this.clients.length : 0;
  }

  get acked() {
    return this.clients.reduce((sum, client) => sum + client.stats.acked, 0);
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` (sync or async) until true or the deadline; true when it held. */
export async function waitFor(condition, deadlineMs, intervalMs = 20) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await condition()) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await delay(intervalMs);
  }
}

function describe(text) {
  return `${text.length} UTF-16 units ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '…' : ''}`;
}

/** Where two texts first differ, with a little context. */
function difference(actual, expected) {
  let at = 0;
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) {
    at++;
  }
  const around = (text) => JSON.stringify(text.slice(Math.max(0, at - 20), at + 40));
  return `lengths ${actual.length} vs ${expected.length}, first difference at ${at}: ${around(actual)} vs ${around(expected)}`;
}
