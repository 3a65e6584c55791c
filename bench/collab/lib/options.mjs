import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// The durable ShareDB last: PostgreSQL goes on writing after its phase ends, on the CPU the
// next target is measured on.
export const TARGETS = ['echo', 'echo-direct', 'sharedb', 'sharedb-gateway', 'webide', 'webide-direct', 'sharedb-durable'];
export const WORKLOADS = ['rooms', 'hot', 'ramp'];
// Targets that need the running platform (the gateway, its accounts, or a collaboration instance).
export const PLATFORM_TARGETS = ['echo', 'echo-direct', 'sharedb-gateway', 'webide', 'webide-direct'];

export const USAGE = `Usage: node bench/collab/run.mjs [options]

  --url URL                 the gateway (default http://127.0.0.1:8080)
  --targets LIST            ${TARGETS.join(",")}, run in the order given (default: all, in this order)
  --workloads LIST          rooms (200 documents × 3 clients, 4 keys/s, cursors), hot (one
                            document, 20 clients, 5 keys/s), ramp (default: all three)
  --seconds N (60)  --warmup N (10)  --repeat N (3)
  --direct-url URL[,URL]    the collaboration instances (default: from the gateway's environment)
  --gateway-config FILE     the gateway route to the ShareDB server (default bench/collab/gateway-sharedb.json)
  --pg-url URL              PostgreSQL of the durable ShareDB (default postgres://sharedb_bench:sharedb_bench@127.0.0.1:5432/sharedb_bench)
  --synchronous-commit off|on   PostgreSQL's, for the durable ShareDB (default off: like WebIde's Redis AOF, fsync each second)
  --durable-instances N     ShareDB processes sharing PostgreSQL and Redis (default 2, as WebIde's collaboration instances)
  --generator-cpus LIST (0) --target-cpus LIST (1)   --no-pin (leave affinities as they are)
  --max-loop-delay MS (5)   a repetition whose generator event-loop delay p99 is over this is INVALID
  --force                   start although the 1-minute load average is ≥ 1 (the run is marked)
  --quiet-wait N (300)      seconds to wait for the load average to fall below 1 first
  --json FILE               also write every repetition's figures
  --rooms-docs N (200) --rooms-clients N (3) --rooms-rate N (4) --no-cursors
  --hot-clients N (20) --hot-rate N (5)
  --ramp-docs N (200) --ramp-clients N (2) --ramp-start N (1 key/s per client) --ramp-factor F (1.5)
  --ramp-steps N (12) --ramp-warmup N (3) --ramp-seconds N (10) --ramp-tail N (2) --ramp-p99 MS (50)
  --users N (10) --wait N (600 s for the gateway's /health)
  --platform-dir DIR        the checkout the platform runs from (its commit goes in the report)`;

export function parseOptions(args) {
  const known = new Set();
  const value = (name, fallback) => {
    known.add(`--${name}`);
    const index = args.indexOf(`--${name}`);
    return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
  };
  const flag = (name) => {
    known.add(`--${name}`);
    return args.includes(`--${name}`);
  };
  const number = (name, fallback, { integer = false } = {}) => {
    const parsed = Number(value(name, fallback));
    if (!Number.isFinite(parsed) || parsed <= 0 || (integer && !Number.isInteger(parsed))) {
      throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} above 0`);
    }
    return parsed;
  };
  const list = (name, all) => {
    const items = value(name, all.join(',')).split(',').map((item) => item.trim()).filter(Boolean);
    for (const item of items) if (!all.includes(item)) throw new Error(`unknown ${name.replace(/s$/, '')} ${item} (${all.join(', ')})`);
    return [...new Set(items)]; // in the order given
  };
  const options = {
    url: value('url', 'http://127.0.0.1:8080'),
    targets: list('targets', TARGETS),
    workloads: list('workloads', WORKLOADS),
    seconds: number('seconds', 60),
    warmup: number('warmup', 10),
    repeat: number('repeat', 3, { integer: true }),
    directUrls: value('direct-url', null)?.split(',').map((url) => url.trim()).filter(Boolean) ?? null,
    gatewayConfig: resolve(value('gateway-config', join(here, '..', 'gateway-sharedb.json'))),
    pgUrl: value('pg-url', 'postgres://sharedb_bench:sharedb_bench@127.0.0.1:5432/sharedb_bench'),
    synchronousCommit: value('synchronous-commit', 'off'),
    durableInstances: number('durable-instances', 2, { integer: true }),
    generatorCpus: value('generator-cpus', '0'),
    targetCpus: value('target-cpus', '1'),
    pin: !flag('no-pin'),
    maxLoopDelay: number('max-loop-delay', 5),
    force: flag('force'),
    quietWait: Number(value('quiet-wait', 300)),
    json: value('json', null),
    rooms: {
      docs: number('rooms-docs', 200, { integer: true }),
      perDoc: number('rooms-clients', 3, { integer: true }),
      rate: number('rooms-rate', 4),
      selections: !flag('no-cursors'),
    },
    hot: {
      perDoc: number('hot-clients', 20, { integer: true }),
      rate: number('hot-rate', 5),
    },
    ramp: {
      docs: number('ramp-docs', 200, { integer: true }),
      perDoc: number('ramp-clients', 2, { integer: true }),
      startRate: number('ramp-start', 1),
      factor: number('ramp-factor', 1.5),
      maxSteps: number('ramp-steps', 12, { integer: true }),
      warmup: number('ramp-warmup', 3),
      seconds: number('ramp-seconds', 10),
      tail: number('ramp-tail', 2),
      p99Limit: number('ramp-p99', 50),
    },
    users: number('users', 10, { integer: true }),
    wait: number('wait', 600),
    platformRoot: resolve(value('platform-dir', join(here, '..', '..', '..'))),
  };
  if (!['on', 'off', 'local', 'remote_write', 'remote_apply'].includes(options.synchronousCommit)) throw new Error('--synchronous-commit must be on or off');
  if (options.rooms.perDoc < 2 || options.hot.perDoc < 2 || options.ramp.perDoc < 2) throw new Error('a document needs at least 2 clients (one types, the others receive)');
  if (options.ramp.factor <= 1) throw new Error('--ramp-factor must be > 1');
  if (!Number.isFinite(options.quietWait) || options.quietWait < 0) throw new Error('--quiet-wait must be ≥ 0');
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('--') && !known.has(arg) && !['--help', '-h'].includes(arg)) throw new Error(`unknown option ${arg}`);
    if (!arg.startsWith('--') && (index === 0 || !args[index - 1].startsWith('--') || ['--no-pin', '--force', '--no-cursors'].includes(args[index - 1]))) throw new Error(`unexpected argument ${arg}`);
  }
  return options;
}
