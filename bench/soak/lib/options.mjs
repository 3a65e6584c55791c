import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));

export const USAGE = `Usage: taskset -c 1 node bench/soak/run.mjs [options]

A soak of a running \`./webide up\` (docs/benchmarks.md "Soak under faults"; bench/soak/README.md).

  --url URL                     the gateway (default http://127.0.0.1:8080)
  --minutes N                   how long the users are active, ramp-up included (default 10)
  --users N                     simulated users (default 200)
  --users-per-workspace N       users editing one workspace's shared document together (default 4)
  --ramp-seconds N              users start evenly over this (default the smaller of 120 and a fifth
                                of the run): sign-ups and sign-ins are anonymous calls, 300 a minute
                                per address, and each costs a password hash
  --faults on|off               run bench/soak/faults.mjs beside the load (default on; needs root)
  --fault-interval-seconds N    one fault every N s once the ramp is over (default 60)
  --seed N                      the seed of every random choice, faults included (default: random, printed)
  --out FILE                    write everything (every operation, faults, samples) as JSON

  Pace of each user (a person, not a benchmark; the platform and the load share 2 cores):
  --keystroke-min-ms N --keystroke-max-ms N   one marker typed every 1000–2000 ms (default)
  --save-seconds N              a REST write of its own file every ~N s (default 30)
  --run-seconds N               a python run every ~N s (default 60)
  --browse-seconds N            workspaces, tree and a file read every ~N s (default 20)
  (each interval is jittered ±50 %)

  --request-timeout-seconds N   an operation not answered (or acknowledged) within N s is a timeout (default 10)
  --recovery-stable-seconds N   how long everything must succeed for a fault to count as recovered (default 5)
  --recovery-target-seconds N   the recovery target (default 10)
  --rss-minute N                when the RSS baseline is sampled (default 2, or a fifth of a shorter run)
  --settle-seconds N            after the load, how long editors may take to get their edits acknowledged (default 60)
  --quiet-seconds N             then a pause before reading everything back (default 10)
  --container-grace-seconds N   then the wait before the sandbox containers are counted: a user's idle
                                container lives 2 minutes (Execution:Pool:UserIdleTimeout) (default 150)
  --platform-dir DIR            the checkout the platform runs from (default: this one)
  -h, --help

Output: progress on stderr every 10 s, the markdown report on stdout. Exit code: 0 every target
met; 1 failed to run; 2 bad options; 3 a target missed.`;

const SPEC = {
  url: { type: 'string', default: 'http://127.0.0.1:8080' },
  minutes: { type: 'string', default: '10' },
  users: { type: 'string', default: '200' },
  'users-per-workspace': { type: 'string', default: '4' },
  'ramp-seconds': { type: 'string' },
  faults: { type: 'string', default: 'on' },
  'fault-interval-seconds': { type: 'string', default: '60' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'keystroke-min-ms': { type: 'string', default: '1000' },
  'keystroke-max-ms': { type: 'string', default: '2000' },
  'save-seconds': { type: 'string', default: '30' },
  'run-seconds': { type: 'string', default: '60' },
  'browse-seconds': { type: 'string', default: '20' },
  'request-timeout-seconds': { type: 'string', default: '10' },
  'recovery-stable-seconds': { type: 'string', default: '5' },
  'recovery-target-seconds': { type: 'string', default: '10' },
  'rss-minute': { type: 'string' },
  'settle-seconds': { type: 'string', default: '60' },
  'quiet-seconds': { type: 'string', default: '10' },
  'container-grace-seconds': { type: 'string', default: '150' },
  'platform-dir': { type: 'string', default: join(here, '..', '..', '..') },
  help: { type: 'boolean', short: 'h', default: false },
};

// Throws with a message for the user on anything it cannot take.
export function parseOptions(args) {
  const { values } = parseArgs({ args, options: SPEC, strict: true, allowPositionals: false });
  if (values.help) return { help: true };
  const number = (name, { min = 0, integer = false, above = false } = {}) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || (above ? value <= min : value < min) || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} ${above ? 'above' : 'of at least'} ${min} (got ${values[name]})`);
    }
    return value;
  };
  let url;
  try {
    url = new URL(values.url);
  } catch {
    throw new Error(`--url ${values.url} is not a URL`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new Error('--url must be http or https');
  if (!['on', 'off'].includes(values.faults)) throw new Error('--faults must be on or off');
  const minutes = number('minutes', { above: true });
  const options = {
    help: false,
    url: url.origin,
    minutes,
    users: number('users', { min: 1, integer: true }),
    usersPerWorkspace: number('users-per-workspace', { min: 1, integer: true }),
    rampSeconds: values['ramp-seconds'] === undefined ? Math.min(120, (minutes * 60) / 5) : number('ramp-seconds'),
    faults: values.faults === 'on',
    faultIntervalSeconds: number('fault-interval-seconds', { min: 5 }),
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : number('seed', { integer: true }),
    out: values.out === undefined ? null : resolve(values.out),
    keystrokeMinMs: number('keystroke-min-ms', { min: 50 }),
    keystrokeMaxMs: number('keystroke-max-ms', { min: 50 }),
    saveSeconds: number('save-seconds', { above: true }),
    runSeconds: number('run-seconds', { above: true }),
    browseSeconds: number('browse-seconds', { above: true }),
    opTimeoutMs: number('request-timeout-seconds', { above: true }) * 1000,
    stableMs: number('recovery-stable-seconds') * 1000,
    recoveryTargetMs: number('recovery-target-seconds', { above: true }) * 1000,
    rssMinute: values['rss-minute'] === undefined ? Math.min(2, minutes / 5) : number('rss-minute'),
    settleSeconds: number('settle-seconds'),
    quietSeconds: number('quiet-seconds'),
    containerGraceSeconds: number('container-grace-seconds'),
    platformDir: resolve(values['platform-dir']),
  };
  if (options.keystrokeMaxMs < options.keystrokeMinMs) throw new Error('--keystroke-max-ms must be at least --keystroke-min-ms');
  if (options.rampSeconds >= minutes * 60) throw new Error('--ramp-seconds must be shorter than the run');
  if (options.rssMinute >= minutes) throw new Error('--rss-minute must fall inside the run');
  return options;
}
