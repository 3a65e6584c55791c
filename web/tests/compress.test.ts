// @vitest-environment node
/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressDist } from '../scripts/compress.mjs';

describe('compressDist (the .br/.gz copies the gateway serves)', () => {
  let dist: string;

  beforeEach(async () => {
    dist = await mkdtemp(join(tmpdir(), 'webide-dist-'));
    await mkdir(join(dist, 'assets'));
  });
  afterEach(() => rm(dist, { recursive: true, force: true }));

  it('writes copies beside each compressible file that decode to it', async () => {
    const script = Buffer.from('export const line = "the editor chunk";\n'.repeat(500));
    const css = Buffer.from('.monaco-editor { color: red; }\n'.repeat(100));
    await writeFile(join(dist, 'assets', 'editor-abc.js'), script);
    await writeFile(join(dist, 'assets', 'editor-abc.css'), css);

    await compressDist(dist);

    for (const [name, content] of [['editor-abc.js', script], ['editor-abc.css', css]] as const) {
      const file = join(dist, 'assets', name);
      expect(brotliDecompressSync(await readFile(`${file}.br`)).equals(content)).toBe(true);
      expect(gunzipSync(await readFile(`${file}.gz`)).equals(content)).toBe(true);
    }
  });

  it('leaves small files, compressed formats and incompressible content without copies', async () => {
    await writeFile(join(dist, 'index.html'), `<!doctype html>${'<div></div>'.repeat(80)}`);
    await writeFile(join(dist, 'assets', 'font-abc.woff2'), Buffer.from('woff2 '.repeat(1000)));
    await writeFile(join(dist, 'assets', 'noise-abc.js'), randomBytes(4096));

    const results = await compressDist(dist);

    expect(results.map((result) => [result.br, result.gzip])).toEqual([[null, null], [null, null]]);
    expect((await readdir(dist, { recursive: true })).sort()).toEqual(
      ['assets', 'assets/font-abc.woff2', 'assets/noise-abc.js', 'index.html'],
    );
  });
});
