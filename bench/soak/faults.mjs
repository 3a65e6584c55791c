// The soak's fault script: at each interval one fault, in rotation (order shuffled by the seed):
// kill -9 of a random service instance (never the Docker gate), a restart of Redis, of RabbitMQ,
// of the Docker engine. Needs root (the platform's processes, dockerd). run.mjs starts it with
// --faults on; alone:
//
//   node bench/soak/faults.mjs --seed 1 --first-at-seconds 60 --interval-seconds 60 --until-seconds 600
//
// Prints one JSON line per event on stdout ({event: "schedule"|"fault"|"done", …}; times are
// Unix milliseconds) and what it does on stderr. On SIGTERM it finishes the fault under way
// (never leaving the engine stopped) and exits.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { Rng } from '../../web/e2e/collab/rng.mjs';
import { killService, restartDocker, restartInfrastructure } from './lib/fault-actions.mjs';
import { faultSchedule } from './lib/fault-schedule.mjs';
import { runMarker } from './lib/processes.mjs';
import { now } from './lib/timeline.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    'first-at-seconds': { type: 'string', default: '60' },
    'interval-seconds': { type: 'string', default: '60' },
    'until-seconds': { type: 'string', default: '600' },
    'platform-dir': { type: 'string', default: join(here, '..', '..') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`Usage: node bench/soak/faults.mjs [--seed N] [--first-at-seconds 60] [--interval-seconds 60]
                                [--until-seconds 600] [--platform-dir DIR]
One fault every interval from the first (kill -9 of a service instance, SIGTERM to Redis, to
RabbitMQ, to dockerd and dockerd started again), in an order shuffled by the seed, none in the
last half interval before --until-seconds. Needs root and a running ./webide up of DIR.
`);
  process.exit(0);
}

const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const say = (message) => process.stderr.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

if (process.getuid?.() !== 0) {
  say('needs root: it kills and restarts the platform\'s processes and the Docker engine');
  process.exit(1);
}
const root = resolve(values['platform-dir']);
const marker = runMarker(root);
if (marker === null) {
  say(`no ./webide up of ${root} is running (no AppHost with its marker)`);
  process.exit(1);
}

const seed = Number(values.seed);
const origin = now();
const schedule = faultSchedule({
  seed,
  firstAtMs: Number(values['first-at-seconds']) * 1000,
  intervalMs: Number(values['interval-seconds']) * 1000,
  untilMs: Number(values['until-seconds']) * 1000,
});
emit({ event: 'schedule', origin, seed, faults: schedule.map((entry) => ({ at: origin + entry.atMs, kind: entry.kind })) });

const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());

// Which instance a kill hits is its own random stream, so the rotation does not depend on it.
const rng = new Rng(seed ^ 0x5eed);
const actions = {
  'kill-service': () => killService({ marker, rng }),
  'restart-redis': () => restartInfrastructure({ marker, comm: 'redis-server' }),
  'restart-rabbitmq': () => restartInfrastructure({ marker, comm: 'beam.smp' }),
  'restart-docker': () => restartDocker({ dataDir: join(root, '.data') }),
};

for (const entry of schedule) {
  const wait = origin + entry.atMs - now();
  if (wait > 0) {
    try {
      await delay(wait, undefined, { signal: stop.signal });
    } catch {
      break;
    }
  }
  if (stop.signal.aborted) break;
  const at = now();
  say(`${entry.kind}…`);
  let result;
  try {
    result = await actions[entry.kind]();
  } catch (error) {
    result = { ok: false, note: `failed: ${error.message}` };
  }
  say(`${entry.kind}: ${result.target ? `${result.target.name} (pid ${result.target.pid}) ` : ''}${result.note ?? ''} after ${((now() - at) / 1000).toFixed(1)} s`);
  emit({ event: 'fault', kind: entry.kind, at, endedAt: result.endedAt ?? null, ok: result.ok, target: result.target ?? null, note: result.note ?? '' });
}
emit({ event: 'done', at: now() });
