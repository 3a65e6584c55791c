// Cold load of the IDE in a browser: the bytes it transfers and the time until its editor takes
// a keystroke, each run in a new browser context (an empty cache, new connections), through the
// gateway of a running platform.
//
//   node bench/web-load/run.mjs [--url http://127.0.0.1:8080] [--runs 5] [--warmup 1] [--no-compression]
//
// Each run signs in through the login screen (a user and workspace made once, through the REST
// API), opens the workspace on main.py and types into the editor, with the browser end-to-end
// harness (web/e2e/browser: Debian's Chromium driven by playwright-core, from web/node_modules;
// `./webide up` installs it). --no-compression sends `Accept-Encoding: identity` on every request,
// so one build can be measured both ways. Warm-up runs (the platform's own caches) are not counted.
//
// Figures per run: transferred = headers + bodies as received (compressed where they were) of
// every request finished by the time the page goes quiet; WebSocket frames and the workspace's
// event stream (open for the page's life) are not in it. editable = from navigating to the
// workspace (the shell and login screen already loaded, the IDE and editor chunks not) until a
// typed character is in the editor; visit = from the first navigation, sign-in included.
// Progress goes to stderr; stdout gets a table of min/median/max and a JSON line.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', '..', 'web');

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    'no-compression': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  process.stderr.write('bench/web-load: --runs must be a whole number ≥ 1 and --warmup ≥ 0\n');
  process.exit(2);
}
if (!existsSync(join(web, 'node_modules', 'playwright-core'))) {
  process.stderr.write('bench/web-load: web/node_modules is missing; run `npm ci` in web/ (./webide up does)\n');
  process.exit(2);
}

const { Scenario, launchBrowser, waitFor } = await import('../../web/e2e/browser/harness.mjs');
const { PATH, timeToEditable } = await import('../../web/e2e/browser/scenarios/time-to-editable-editor.mjs');
const { Samples } = await import('../collab/lib/stats.mjs');

const mode = values['no-compression'] ? 'identity' : 'compression';
const log = (message) => process.stderr.write(`[web-load] ${message}\n`);
const kB = (bytes) => bytes / 1000;

/** Size and coding of one finished request, as the browser received it. */
async function measure(request) {
  const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
  return {
    url: request.url(),
    bytes: sizes.responseHeadersSize + sizes.responseBodySize,
    encoding: (await response?.headerValue('content-encoding')) ?? 'identity',
  };
}

/** One cold visit: a new context, sign-in, the workspace, a keystroke; then the page goes quiet. */
async function coldLoad(scenario, user, workspaceId) {
  const page = await scenario.newPage();
  const context = page.context();
  if (mode === 'identity') {
    await context.setExtraHTTPHeaders({ 'accept-encoding': 'identity' });
  }
  const finished = [];
  context.on('requestfinished', (request) => finished.push(measure(request)));
  try {
    const started = Date.now();
    await scenario.signIn(page, user);
    const editableMs = await timeToEditable(page, `/w/${workspaceId}?file=${encodeURIComponent(PATH)}`, 'A');
    const visitMs = Date.now() - started;
    // Chunks the IDE loads after the editor works (workers, languages) belong to the visit too.
    let seen = -1;
    await waitFor(() => {
      const quiet = finished.length === seen;
      seen = finished.length;
      return quiet;
    }, { timeoutMs: 20000, intervalMs: 1000, what: 'no request to finish for a second' });
    const responses = await Promise.all(finished);
    const compressed = responses.find((response) => response.encoding !== 'identity');
    if (mode === 'identity' && compressed) {
      throw new Error(`--no-compression: ${compressed.url} still came ${compressed.encoding}; the browser did not send Accept-Encoding: identity`);
    }
    return { editableMs, visitMs, responses };
  } finally {
    await context.close();
  }
}

const browser = await launchBrowser();
const scenario = new Scenario({ name: 'web-load', baseUrl: values.url, browser, outDir: join(process.cwd(), '.data', 'bench-web-load') });
const figures = { transferredKb: new Samples(), requests: new Samples(), editableMs: new Samples(), visitMs: new Samples() };
try {
  const user = await scenario.api.newUser('loadbench');
  const workspace = await scenario.api.createWorkspace(user);
  await scenario.api.putFile(user, workspace.id, PATH, 'print("hello")\n');
  log(`${values.url}, ${mode}, ${warmup} warm-up and ${runs} measured run(s)`);

  for (let run = 1 - warmup; run <= runs; run += 1) {
    const { editableMs, visitMs, responses } = await coldLoad(scenario, user, workspace.id);
    const transferred = responses.reduce((sum, response) => sum + response.bytes, 0);
    const largest = responses.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const label = run < 1 ? 'warm-up' : `run ${run}`;
    log(`${label}: ${kB(transferred).toFixed(0)} kB in ${responses.length} requests (largest ${new URL(largest.url).pathname}: `
      + `${kB(largest.bytes).toFixed(0)} kB, ${largest.encoding}); editable after ${editableMs} ms, visit ${visitMs} ms`);
    if (run < 1) continue;
    figures.transferredKb.add(kB(transferred));
    figures.requests.add(responses.length);
    figures.editableMs.add(editableMs);
    figures.visitMs.add(visitMs);
  }
} finally {
  await scenario.close();
  await browser.close();
}

const rows = Object.entries(figures).map(([name, samples]) => ({ name, ...samples.summary() }));
process.stdout.write([
  `| ${mode} (${runs} runs) | min | median | max |`,
  '|---|---:|---:|---:|',
  ...rows.map((row) => `| ${row.name} | ${row.min.toFixed(0)} | ${row.p50.toFixed(0)} | ${row.max.toFixed(0)} |`),
].join('\n') + '\n');
process.stdout.write(`${JSON.stringify({ mode, url: values.url, runs, figures: Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest])) })}\n`);
