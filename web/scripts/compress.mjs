#!/usr/bin/env node
// Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every compressible file of the built
// app, once, at build time; the gateway serves them by the browser's Accept-Encoding
// (docs/platform.md "Web app"). Run by `npm run build` after `vite build`, which empties dist
// first, so no copy outlives its file. A copy that would not be smaller is not written.
// Usage: node scripts/compress.mjs [distDir]
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text, and binary formats that are not compressed already (unlike woff2, png). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|wasm|ttf|otf|map)$/i;

/** Smaller files fit one packet either way. */
const MIN_BYTES = 1024;

/**
 * Compresses every compressible file under `dist` and returns what it wrote:
 * `[{ file, bytes, br, gzip }]`, sizes in bytes, `br`/`gzip` null where no copy was written.
 */
export async function compressDist(dist) {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => {
    const content = await readFile(file);
    if (content.length < MIN_BYTES) return { file, bytes: content.length, br: null, gzip: null };
    const [br, gz] = await Promise.all([
      brotli(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
      gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    const write = async (copy, extension) => {
      if (copy.length >= content.length) return null;
      await writeFile(file + extension, copy);
      return copy.length;
    };
    return { file, bytes: content.length, br: await write(br, '.br'), gzip: await write(gz, '.gz') };
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = resolve(process.argv[2] ?? 'dist');
  const started = Date.now();
  const written = (await compressDist(dist)).filter((result) => result.br !== null || result.gzip !== null);
  const sum = (key) => written.reduce((total, result) => total + (result[key] ?? result.bytes), 0);
  const kb = (n) => (n / 1000).toFixed(2);
  console.log(
    `compress: ${written.length} file(s), ${kb(sum('bytes'))} kB → br ${kb(sum('br'))} kB, gzip ${kb(sum('gzip'))} kB`
      + ` in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
