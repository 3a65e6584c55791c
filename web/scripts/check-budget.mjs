#!/usr/bin/env node
// Initial-JS budget check, run after `vite build`.
// "Initial JS" = every JS file the browser must fetch before the first screen works:
// the entry chunks of index.html plus everything they import statically (walked
// through Vite's build manifest). Lazily imported chunks (the IDE screen) are left
// out. Sizes are gzip level 9, as Vite reports them; 1 kB = 1000 bytes.
// Some lazy chunks have budgets of their own (LAZY_BUDGETS): each must stay lazy (a
// dynamic entry that no chunk imports statically) and under its size.
// Usage: node scripts/check-budget.mjs [distDir]   (BUDGET_KB env overrides 300)
import { readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(process.argv[2] ?? 'dist');
const budgetKb = Number(process.env.BUDGET_KB ?? 300);
/** Lazy chunks by their source module: loaded only when needed, and small. */
const LAZY_BUDGETS = [
  // The language client: loaded when the first file of a language with a server opens.
  { src: 'src/ide/editor/lsp/index.ts', name: 'language client', budgetKb: 20 },
];
const manifestDir = join(dist, '.vite');
const manifestPath = join(manifestDir, 'manifest.json');

if (!existsSync(manifestPath)) {
  console.error(`check-budget: ${manifestPath} not found (is build.manifest enabled?)`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

// The manifest is a build artefact only; do not ship it.
rmSync(manifestDir, { recursive: true, force: true });

const files = [...initial].filter((f) => f.endsWith('.js')).sort();
if (files.length === 0) {
  console.error('check-budget: no initial JS found in the manifest');
  process.exit(2);
}

// Cross-check: every script index.html references must be counted.
const html = readFileSync(join(dist, 'index.html'), 'utf8');
for (const m of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\/?([^"]+\.js)"/g)) {
  if (!initial.has(m[1])) {
    console.error(`check-budget: index.html loads ${m[1]}, which the manifest walk missed`);
    process.exit(2);
  }
}

const kb = (n) => (n / 1000).toFixed(2);

// Lazy chunks with budgets: present, imported by nobody statically, under their budget.
let lazyOk = true;
for (const { src, name, budgetKb: lazyBudgetKb } of LAZY_BUDGETS) {
  const chunk = manifest[src];
  if (!chunk?.isDynamicEntry) {
    console.error(`check-budget: the ${name} (${src}) is not a lazily loaded chunk of its own`);
    process.exit(2);
  }
  const importers = Object.entries(manifest).filter(([, c]) => (c.imports ?? []).includes(src)).map(([key]) => key);
  if (importers.length > 0 || initial.has(chunk.file)) {
    console.error(`check-budget: the ${name} (${src}) is imported statically by ${importers.join(', ') || 'the initial JS'}; load it with import()`);
    process.exit(2);
  }
  const buf = readFileSync(join(dist, chunk.file));
  const g = gzipSync(buf, { level: 9 }).length;
  const ok = g <= lazyBudgetKb * 1000;
  lazyOk &&= ok;
  console.log(`  lazy     ${chunk.file.padEnd(44)} ${kb(buf.length).padStart(9)} kB │ gzip: ${kb(g).padStart(8)} kB of ${lazyBudgetKb} kB (${name}) — ${ok ? 'OK' : 'OVER BUDGET'}`);
}

let raw = 0;
let gz = 0;
for (const f of files) {
  const buf = readFileSync(join(dist, f));
  const g = gzipSync(buf, { level: 9 }).length;
  raw += statSync(join(dist, f)).size;
  gz += g;
  console.log(`  initial  ${f.padEnd(44)} ${kb(buf.length).padStart(9)} kB │ gzip: ${kb(g).padStart(8)} kB`);
}
const ok = gz <= budgetKb * 1000;
console.log(
  `Initial JS: ${files.length} file(s), ${kb(raw)} kB, gzip ${kb(gz)} kB of ${budgetKb} kB budget — ${ok ? 'OK' : 'OVER BUDGET'}`,
);
process.exit(ok && lazyOk ? 0 : 1);
