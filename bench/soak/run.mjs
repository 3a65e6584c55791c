// Soak under faults (issue 17, point 4): simulated users that sign in, open workspaces, edit
// together, save, run code and browse against a running `./webide up` for --minutes, while
// faults.mjs kills and restarts parts of the platform; then every acknowledged edit and save is
// read back and the leftovers counted. bench/soak/README.md says how to run it and what each
// figure means; `node bench/soak/run.mjs --help` lists the options.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkGateway } from './lib/gateway.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';

const fail = (message, code) => {
  process.stderr.write(`bench/soak: ${message}\n`);
  process.exit(code);
};

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  fail(`${error.message}\n(--help lists the options)`, 2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

try {
  await checkGateway(options.url);
} catch (error) {
  fail(error.message, 1);
}

// The collaboration client is web/e2e/collab's, with ot.js and ws from web/node_modules, which
// `./webide up` installs (npm ci in web/).
const web = fileURLToPath(new URL('../../web/node_modules/', import.meta.url));
if (!existsSync(`${web}ot`) || !existsSync(`${web}ws`)) fail(`${web} has no ot or ws: run \`npm ci --prefix web\` (./webide up does)`, 1);

const { main } = await import('./lib/main.mjs');
try {
  // Exit explicitly: sockets of editors that never joined would otherwise keep the process alive.
  process.exit(await main(options));
} catch (error) {
  fail(error.stack ?? error.message, 1);
}
