#!/usr/bin/env node
// Randomized collaborative-editing sessions against a running platform (the gateway):
//
//   node web/e2e/collab/sessions.mjs --url http://127.0.0.1:8080 --sessions 200 --parallel 8
//
// Progress goes to stderr; the last line on stdout is one JSON summary. The exit code is 1
// when any session failed (divergence, a lost or duplicated acknowledged edit, a contract
// violation), 2 on bad arguments. Every session's random choices come from its seed, derived
// from --seed (printed): `--seed S --only K` replays session K alone.

import { parseArgs } from 'node:util';
import { Platform } from './platform.mjs';
import { runSession } from './session.mjs';
import { deriveSeed } from './rng.mjs';

const HELP = `Usage: node web/e2e/collab/sessions.mjs [options]
  --url URL               the gateway (default http://127.0.0.1:8080)
  --sessions N            how many sessions (default 20)
  --parallel N            sessions at once (default 4)
  --clients N             clients per session (default 8)
  --ops N                 edits per client (default 20)
  --seed N                seed of the whole run (default: random, printed)
  --only K                run only session K of the seed's sequence (replay)
  --users N               size of the user pool sessions take their users from (default 12)
  --disconnect-rate P     chance per edit of an abrupt disconnect (default 0.06)
  --min-delay-ms N        least pause between a client's edits (default 25; keeps clients
                          under the gateway's per-connection op rate limit)
  --max-delay-ms N        longest usual pause (default 120)
  --max-reconnect-delay-ms N  longest wait before reconnecting after a disconnect (default 400)
  --clear-chance P        chance that an edit deletes everything (default 0.01)
  --settle-ms N           deadline for all clients to be synchronized at the end (default 20000)
  --file-deadline-ms N    deadline for the file to match the server's document (default 5000)
  --max-resume-ms N       longest resume allowed after a server-side drop (default 2000)
  --expect-server-drops   connections closed by the server are expected (a kill test)
  --ready-acks N          print "[ready]" once --parallel sessions edit and N ops were acked
  --keep                  keep the workspaces (they are deleted after passing sessions)
  --trace                 print every frame
  --help`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      sessions: { type: 'string', default: '20' },
      parallel: { type: 'string', default: '4' },
      clients: { type: 'string', default: '8' },
      ops: { type: 'string', default: '20' },
      seed: { type: 'string' },
      only: { type: 'string' },
      users: { type: 'string', default: '12' },
      'disconnect-rate': { type: 'string', default: '0.06' },
      'min-delay-ms': { type: 'string', default: '25' },
      'max-delay-ms': { type: 'string', default: '120' },
      'max-reconnect-delay-ms': { type: 'string', default: '400' },
      'clear-chance': { type: 'string', default: '0.01' },
      'settle-ms': { type: 'string', default: '20000' },
      'file-deadline-ms': { type: 'string', default: '5000' },
      'max-resume-ms': { type: 'string', default: '2000' },
      'expect-server-drops': { type: 'boolean', default: false },
      'ready-acks': { type: 'string' },
      keep: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const number = (name, { integer = true, min = 0 } = {}) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, not ${values[name]}`);
    }
    return value;
  };
  const options = {
    url: values.url.replace(/\/+$/, ''),
    sessions: number('sessions', { min: 1 }),
    parallel: number('parallel', { min: 1 }),
    clients: number('clients', { min: 1 }),
    ops: number('ops'),
    seed: values.seed !== undefined ? number('seed') >>> 0 : (Math.random() * 2 ** 32) >>> 0,
    only: values.only !== undefined ? number('only') : null,
    users: number('users', { min: 1 }),
    disconnectRate: number('disconnect-rate', { integer: false }),
    minDelayMs: number('min-delay-ms'),
    maxDelayMs: number('max-delay-ms'),
    maxReconnectDelayMs: number('max-reconnect-delay-ms'),
    clearChance: number('clear-chance', { integer: false }),
    settleMs: number('settle-ms'),
    fileDeadlineMs: number('file-deadline-ms'),
    maxResumeMs: number('max-resume-ms'),
    expectServerDrops: values['expect-server-drops'],
    readyAcks: values['ready-acks'] !== undefined ? number('ready-acks') : null,
    keep: values.keep,
    trace: values.trace,
  };
  if (options.maxDelayMs < options.minDelayMs) {
    throw new Error('--max-delay-ms must not be below --min-delay-ms');
  }
  return options;
}

/** The command line that replays one session: this run's arguments, narrowed to that session. */
function replayArguments(seed, index) {
  const kept = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const [name] = args[i].split('=');
    if (['--sessions', '--parallel', '--only', '--seed'].includes(name)) {
      if (!args[i].includes('=')) {
        i++;
      }
      continue;
    }
    kept.push(args[i]);
  }
  return ['node web/e2e/collab/sessions.mjs', ...kept, '--seed', String(seed), '--only', String(index)].join(' ');
}

function progress(line) {
  process.stderr.write(`[collab-e2e ${new Date().toISOString().slice(11, 23)}] ${line}\n`);
}

function percentile(sorted, fraction) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function main() {
  let options;
  try {
    options = parseOptions();
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${HELP}\n`);
    process.exit(2);
  }
  const indices = options.only !== null ? [options.only] : [...Array(options.sessions).keys()];
  progress(`seed ${options.seed} (replay one session: --seed ${options.seed} --only K); ${indices.length} session(s), ${options.parallel} at once, ${options.clients} clients × ${options.ops} edits; ${options.url}`);

  const startedAt = Date.now();
  const platform = new Platform(options.url);
  const users = [];
  for (let created = 0; created < options.users;) {
    const batch = Math.min(4, options.users - created);
    users.push(...(await Promise.all(Array.from({ length: batch }, () => platform.createUser('collab-e2e')))));
    created += batch;
  }
  progress(`${users.length} users signed in (${Date.now() - startedAt} ms)`);

  const running = new Set();
  const finished = [];
  let readyPrinted = false;
  const onEvent = () => {
    if (readyPrinted || options.readyAcks === null) {
      return;
    }
    const editing = [...running].filter((session) => session.phase === 'editing');
    const wanted = Math.min(options.parallel, indices.length);
    if (editing.length >= wanted && editing.reduce((sum, session) => sum + session.acked, 0) >= options.readyAcks) {
      readyPrinted = true;
      progress(`[ready] ${editing.length} sessions with ${editing.reduce((sum, session) => sum + session.clients.length, 0)} clients are editing`);
    }
  };
  const readyWatch = options.readyAcks !== null ? setInterval(onEvent, 20) : null;

  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const index = indices[next++];
      const seed = deriveSeed(options.seed, index);
      let session;
      const sessionPromise = runSession({ platform, users, options, index, seed, onEvent: (event, started) => {
        session = started;
        running.add(started);
        onEvent();
      } });
      const result = await sessionPromise;
      running.delete(session ?? result);
      finished.push(result);
      const ops = result.clients.reduce((sum, client) => sum + client.stats.sent, 0);
      const disconnects = result.clients.reduce((sum, client) => sum + client.stats.disconnects + client.stats.serverDrops, 0);
      const seconds = ((Date.now() - result.startedAt) / 1000).toFixed(1);
      progress(`[${finished.length}/${indices.length}] session ${index} ${result.failures.length === 0 ? 'ok' : `FAILED (${result.failures.length})`}: ${ops} ops, ${disconnects} drops, revision ${result.finalRevision ?? '?'}, ${result.finalText?.length ?? '?'} units, ${seconds} s`);
      for (const failure of result.failures.slice(0, 5)) {
        progress(`    session ${index}: ${failure}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, indices.length) }, worker));
  clearInterval(readyWatch);

  const clients = finished.flatMap((session) => session.clients);
  const sum = (name) => clients.reduce((total, client) => total + client.stats[name], 0);
  const resumeMs = clients.flatMap((client) => client.resumeMs).sort((a, b) => a - b);
  const serverDropResumeMs = clients.flatMap((client) => client.serverDropResumeMs).sort((a, b) => a - b);
  const failed = finished.filter((session) => session.failures.length > 0);
  const durationMs = Date.now() - startedAt;
  const summary = {
    seed: options.seed,
    sessions: finished.length,
    passed: finished.length - failed.length,
    failed: failed.length,
    clients: clients.length,
    edits: sum('edits'),
    opsSent: sum('sent'),
    acked: sum('acked'),
    acksAsOwnOp: sum('acksAsOwnOp'),
    resent: sum('resent'),
    duplicatesIgnored: sum('duplicatesIgnored'),
    remoteOps: sum('remoteOps'),
    disconnects: sum('disconnects'),
    serverDrops: sum('serverDrops'),
    dropsWithOutstanding: sum('dropsWithOutstanding'),
    resumes: sum('resumes'),
    unknownRevisions: sum('unknownRevisions'),
    droppedOps: sum('droppedOps'),
    rateLimited: sum('rateLimited'),
    connectRetries: sum('connectRetries'),
    connectFailures: clients.reduce((all, client) => {
      for (const [why, count] of Object.entries(client.connectFailures)) {
        all[why] = (all[why] ?? 0) + count;
      }
      return all;
    }, {}),
    maxResumeMs: resumeMs.at(-1) ?? null,
    p50ResumeMs: percentile(resumeMs, 0.5),
    p95ResumeMs: percentile(resumeMs, 0.95),
    serverDropResumeMs,
    durationMs,
    sessionsPerMinute: Number((finished.length / (durationMs / 60000)).toFixed(1)),
    notes: finished.flatMap((session) => session.notes.map((note) => `session ${session.index}: ${note}`)).slice(0, 20),
    failures: failed.map((session) => ({
      session: session.index,
      replay: replayArguments(options.seed, session.index),
      workspaceId: session.workspaceId,
      path: session.path,
      reasons: session.failures.slice(0, 20),
    })),
  };
  progress(`done: ${summary.passed}/${summary.sessions} sessions passed in ${(durationMs / 1000).toFixed(1)} s (${summary.sessionsPerMinute}/min); ${summary.acked} ops acked; ${summary.resumes} resumes, max ${summary.maxResumeMs} ms`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`collab-e2e: ${error.stack ?? error}\n`);
  process.exit(3);
});
