// Runs browser scenarios (web/e2e/browser/scenarios/*.mjs) in headless Chromium against a
// running platform, through its gateway.
//
//   node web/e2e/browser/run.mjs --url http://127.0.0.1:8080 [--out DIR] [--only a,b]
//
// A scenario module's default export is `async (scenario) => void` (see harness.mjs); it
// throws to fail. Progress goes to stderr; the last stdout line is a JSON summary:
// {passed:[name], failures:[{name, error}], figures:{name:{...}}, screenshots:[file]}.
// The exit code is 1 when a scenario failed.
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Scenario, launchBrowser } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    out: { type: 'string', default: join(process.cwd(), '.data', 'browser') },
    only: { type: 'string' },
    'scenario-timeout': { type: 'string', default: '180' },
  },
});

const available = readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
const wanted = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : available;
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}

const summary = { passed: [], failures: [], figures: {}, screenshots: [] };
const browser = await launchBrowser();
try {
  for (const name of wanted) {
    const scenario = new Scenario({ name, baseUrl: values.url, browser, outDir: resolve(values.out) });
    const started = Date.now();
    scenario.log('start');
    let timer;
    try {
      const { default: run } = await import(pathToFileURL(join(here, 'scenarios', `${name}.mjs`)).href);
      const limitMs = Number(values['scenario-timeout']) * 1000;
      await Promise.race([
        run(scenario),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`scenario took over ${limitMs} ms`)), limitMs); }),
      ]);
      summary.passed.push(name);
      scenario.log(`passed in ${Date.now() - started} ms`);
    } catch (err) {
      summary.failures.push({ name, error: err?.stack ?? String(err) });
      scenario.log(`FAILED after ${Date.now() - started} ms: ${err?.stack ?? err}`);
      // What the screen showed when it failed is usually the fastest explanation.
      for (const [i, context] of scenario.contexts.entries()) {
        for (const [j, page] of context.pages().entries()) {
          await scenario.screenshot(page, `failure-${i}-${j}`).catch(() => {});
        }
      }
    } finally {
      clearTimeout(timer);
      summary.figures[name] = scenario.figures;
      summary.screenshots.push(...scenario.screenshots);
      await scenario.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(summary.failures.length ? 1 : 0);
