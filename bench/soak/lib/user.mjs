// One simulated user of the soak. Signs up and in, joins its group's workspace (the group's
// first user creates it and adds the others as editors), then, until told to stop, does four
// things side by side, each at its own jittered pace:
//   type    a marker token (⟦u17:42⟧) into the group's shared document over the collaboration
//           socket, one every --keystroke-ms (a person typing, not a benchmark)
//   save    writes its own file through REST with new content (remembering what was acknowledged)
//   run     runs the workspace's python program with a random number; checks the printed result
//   browse  lists its workspaces, reads the tree, reads its own file back
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Account } from './account.mjs';
import { RecordingEditor } from './editor.mjs';
import { encodePath } from './http.mjs';
import { fatalCause, OK } from './outcomes.mjs';
import { now } from './timeline.mjs';

export const SHARED_DOCUMENT = 'notes/shared.md';
export const PROGRAM = 'run/check.py';
// The program prints its argument times seven: each run's expected output differs.
const PROGRAM_TEXT = 'import sys\nprint(int(sys.argv[1]) * 7)\n';
const REPLACE_EDITOR_AFTER_MS = 2000;

// An answer that says the write was not done (a refusal); anything else (503 included: the
// gateway may answer it after the service did the work) leaves it uncertain.
const refused = (cause) => /^http:4\d\d$/.test(cause) && cause !== 'http:408';

// The workspace a group of users edits together.
export class Group {
  constructor(index, name) {
    this.index = index;
    this.name = name;
    this.workspaceId = null;
    this.owner = null;
    this.users = [];
    let settle;
    this.ready = new Promise((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.ready.catch(() => {}); // members that never come still must not leave it unhandled
    this.settle = settle;
  }
}

export class SimUser {
  constructor({ index, username, group, http, timeline, options, rng, stopSignal }) {
    this.index = index;
    this.username = username;
    this.group = group;
    this.http = http;
    this.timeline = timeline;
    this.options = options;
    this.rng = rng;
    this.stopSignal = stopSignal;
    this.account = new Account(http, username);
    this.editors = []; // every editor this user had: each keeps the markers it got acknowledged
    this.typed = 0;
    this.save = { path: `saves/${username}.txt`, acknowledged: null, uncertain: [], pending: null, count: 0 };
    this.state = 'new';
    this.problem = null;
  }

  get editor() {
    return this.editors.at(-1) ?? null;
  }

  get acknowledgedMarkers() {
    return this.editors.flatMap((editor) => editor.acknowledgedInserts);
  }

  async #sleep(ms) {
    try {
      await delay(ms, undefined, { signal: this.stopSignal });
      return true;
    } catch {
      return false; // stopped
    }
  }

  #jittered(seconds) {
    return seconds * 1000 * (0.5 + this.rng.next());
  }

  async #retryUntilDone(what, step) {
    for (let attempt = 0; !this.stopSignal.aborted; attempt++) {
      try {
        const done = await step();
        this.problem = null;
        return done;
      } catch (error) {
        this.problem = `${what}: ${error.message}`;
        if (!(await this.#sleep(Math.min(30000, 2000 * 2 ** attempt)))) break;
      }
    }
    throw new Error(`stopped before ${what} (${this.problem ?? 'no attempt'})`);
  }

  // Signs up, sets up or joins the workspace, opens the editor, then runs until stopped.
  async run() {
    this.state = 'signing up';
    await this.#retryUntilDone('signing up', () => this.account.signUp());
    if (this.group.owner === this) {
      this.state = 'making the workspace';
      try {
        await this.#retryUntilDone('making the workspace', () => this.#makeWorkspace());
        this.group.settle.resolve();
      } catch (error) {
        this.group.settle.reject(error);
        throw error;
      }
    } else {
      this.state = 'waiting for the workspace';
      await this.group.ready;
      await this.#retryUntilDone('being added to the workspace', () => this.group.owner.addMember(this.username));
    }
    this.state = 'opening the editor';
    await this.#retryUntilDone('opening the editor', () => this.#openEditor());
    this.state = 'active';
    await Promise.all([this.#typeLoop(), this.#saveLoop(), this.#runLoop(), this.#browseLoop()]);
    this.state = 'stopped';
  }

  async #call(kind, method, path, options = {}) {
    return this.http.request(kind, method, path, { ...options, token: await this.account.token() });
  }

  async #makeWorkspace() {
    const created = await this.#call('workspace-create', 'POST', '/api/workspaces', { json: { name: this.group.name }, expect: [201] });
    if (created.cause !== OK) throw new Error(created.cause);
    this.group.workspaceId = JSON.parse(created.text).id;
    for (const [path, text] of [[SHARED_DOCUMENT, `# ${this.group.name}\n`], [PROGRAM, PROGRAM_TEXT]]) {
      const written = await this.#call('file-write', 'PUT', this.#filePath(path), { body: text, expect: [200, 201] });
      if (written.cause !== OK) throw new Error(`${path}: ${written.cause}`);
    }
  }

  async addMember(username) {
    const added = await this.#call('member-add', 'PUT', `/api/workspaces/${this.group.workspaceId}/members/${encodeURIComponent(username)}`, { json: { role: 'editor' }, expect: [200, 201, 204] });
    if (added.cause !== OK) throw new Error(added.cause);
  }

  #filePath(path) {
    return `/api/workspaces/${this.group.workspaceId}/files/${encodePath(path)}`;
  }

  async #openEditor() {
    const editor = new RecordingEditor(
      { url: this.options.url, workspaceId: this.group.workspaceId, path: SHARED_DOCUMENT, accessToken: () => this.account.token(), name: this.username },
      { timeline: this.timeline, opTimeoutMs: this.options.opTimeoutMs },
    );
    this.editors.push(editor);
    const started = now();
    try {
      await editor.connect();
      this.timeline.record('collab-connect', started, now() - started, OK);
    } catch (error) {
      editor.poll();
      editor.close();
      throw error;
    }
  }

  async #typeLoop() {
    const { keystrokeMinMs, keystrokeMaxMs } = this.options;
    while (await this.#sleep(keystrokeMinMs + this.rng.next() * (keystrokeMaxMs - keystrokeMinMs))) {
      const editor = this.editor;
      if (editor.fatal || editor.phase === 'closed') {
        // The client gave up reconnecting (20 s): a person reloads the page. Its acknowledged
        // markers stay counted; what it had not got acknowledged is not.
        editor.poll();
        editor.close();
        if (editor.fatal) this.timeline.record('collab-connect', now(), 0, fatalCause(editor.fatal));
        this.problem = `editor: ${editor.fatal ?? 'closed'}`;
        if (!(await this.#sleep(REPLACE_EDITOR_AFTER_MS))) break;
        try {
          await this.#openEditor();
        } catch {
          // tried again at the next keystroke
        }
        continue;
      }
      if (editor.typeMarker(`⟦u${this.index}:${this.typed}⟧`, this.rng)) this.typed++;
    }
  }

  async #saveLoop() {
    while (await this.#sleep(this.#jittered(this.options.saveSeconds))) {
      const content = `${this.username} save ${++this.save.count} ${randomBytes(6).toString('hex')}\n`.repeat(1 + this.rng.int(0, 40));
      this.save.pending = content;
      const written = await this.#call('file-write', 'PUT', this.#filePath(this.save.path), { body: content, expect: [200, 201] });
      this.save.pending = null;
      if (written.cause === OK) {
        this.save.acknowledged = content;
        this.save.uncertain = [];
      } else if (!refused(written.cause)) {
        this.save.uncertain.push(content);
      }
    }
  }

  async #runLoop() {
    while (await this.#sleep(this.#jittered(this.options.runSeconds))) {
      const value = this.rng.int(1, 1_000_000);
      await this.#call('run', 'POST', `/api/workspaces/${this.group.workspaceId}/runs`, {
        json: { entry: PROGRAM, language: 'python', args: [String(value)] },
        check: ({ text }) => {
          const result = JSON.parse(text);
          if (result.status !== 'ok') return `run:${result.status}`;
          return result.stdout === `${value * 7}\n` ? null : 'wrong-output';
        },
      });
    }
  }

  async #browseLoop() {
    while (await this.#sleep(this.#jittered(this.options.browseSeconds))) {
      await this.#call('list-workspaces', 'GET', '/api/workspaces');
      await this.#call('tree', 'GET', `/api/workspaces/${this.group.workspaceId}/tree`);
      if (this.save.acknowledged === null && this.save.uncertain.length === 0) {
        await this.#call('read-file', 'GET', this.#filePath(SHARED_DOCUMENT));
        continue;
      }
      // Its own file reads back as written: the last acknowledged content, or a write whose
      // answer is still to come or never came.
      const allowed = [this.save.acknowledged, this.save.pending, ...this.save.uncertain];
      await this.#call('read-file', 'GET', this.#filePath(this.save.path), {
        // (a save may also have started and finished while this read was on its way)
        check: ({ text }) => ([...allowed, this.save.acknowledged, this.save.pending, ...this.save.uncertain].includes(text) ? null : 'wrong-content'),
      });
    }
  }
}
