// @vitest-environment node
// The IDE's import layering as ESLint enforces it (eslint.config.js): a forbidden import in a
// file at a given place is reported, the allowed one beside it is not.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// web/, where eslint.config.js is (the app's tsconfig has no Node types, hence no fileURLToPath).
const eslint = new ESLint({ cwd: decodeURIComponent(new URL('..', import.meta.url).pathname) });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', { timeout: 30_000 }, () => {
  it('keeps the editor and the collaboration client apart', async () => {
    expect(await restricted('src/ide/editor/probe.ts', "import { CollabConnection } from '../collab/connection';\nexport const c = CollabConnection;\n"))
      .toEqual([expect.stringContaining('ide/shared-text')]);
    expect(await restricted('src/ide/collab/probe.ts', "import { toMarker } from '../editor/markers';\nexport const m = toMarker;\n"))
      .toEqual([expect.stringContaining('ide/shared-text')]);
    expect(await restricted('src/ide/editor/probe.ts', "import type { LinkState } from '../shared-text/documents';\nexport type L = LinkState;\n"))
      .toEqual([]);
  });

  it('lets a workbench part import contracts, never another part', async () => {
    expect(await restricted('src/ide/workbench/probe-part.ts', "import { createTreePart } from './tree-part';\nexport const t = createTreePart;\n"))
      .toEqual([expect.stringContaining('never imports another part')]);
    expect(await restricted('src/ide/workbench/probe-part.ts', "import type { OpenFiles } from './contracts';\nexport type O = OpenFiles;\n"))
      .toEqual([]);
  });

  it('keeps the lower layers free of the IDE', async () => {
    expect(await restricted('src/api/probe.ts', "import { mountIde } from '../ide';\nexport const m = mountIde;\n"))
      .toEqual([expect.stringContaining('never import the IDE')]);
    expect(await restricted('src/dom.ts', "import { mountIde } from './ide/workbench/workbench';\nexport const m = mountIde;\n"))
      .toHaveLength(1);
  });
});
