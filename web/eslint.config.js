// ESLint for the web app (`npm run lint`): JavaScript's and typescript-eslint's recommended
// rules without type information (see README.md, "Lint", for why), and the import layering of
// the IDE (docs/platform.md, "Web IDE: workbench" and "Web IDE: editing"). Layering rules read
// the import as written (the code imports by relative path), so each names the folder or file
// it keeps out; dynamic import() is not checked (app.ts loads ./ide that way, on purpose).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import of the module or folder `name` (as a path segment, any depth). */
const to = (name) => `(^|/)${name}(/|$)`;

/** A config block that forbids `files` to import what `forbidden` names, each with why. */
function layer(files, forbidden) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map(([regex, message]) => ({ regex, message })),
      }],
    },
  };
}

const ide = [to('ide'), 'Lower layers of the app never import the IDE (it is a lazily loaded screen).'];
const editor = [to('editor'), 'The collaboration client does not know the editor: shared shapes live in ide/shared-text.'];
const collab = [to('collab'), 'The editor does not know the collaboration client: it codes against ide/shared-text (editing-core.ts joins them).'];
const editingCore = [to('editing-core'), 'Only the workbench loads the editing core, with import().'];
const workbench = [to('workbench'), 'The workbench wires the IDE\'s modules; they never import it back.'];
const part = ['-part$', 'A part never imports another part: it takes the interface it needs from workbench/contracts.ts.'];
const editingInside = [`${to('editor')}|${to('collab')}`, 'The workbench sees the editing core only through editor-area.ts.'];
const workbenchModule = [`^\\./workbench$`, 'Parts are wired by workbench.ts, not the other way round.'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // The compiler (noUnusedLocals/Parameters) already refuses these in TypeScript.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['src/**/*.ts', 'tests/**/*.ts'], languageOptions: { globals: globals.browser } },
  // Tests take protocol frames apart as the server's JSON comes: untyped on purpose.
  { files: ['tests/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.mjs', '**/*.js', 'vite.config.ts'], languageOptions: { globals: globals.node } },
  { files: ['e2e/browser/**/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },

  // ---- layering ---------------------------------------------------------------------------
  layer(['src/api/**', 'src/health/**', 'src/views/**', 'src/dom.ts', 'src/router.ts', 'src/context.ts'], [ide]),
  layer(['src/ide/editor/**'], [collab, workbench, editingCore]),
  layer(['src/ide/collab/**'], [editor, workbench, editingCore]),
  layer(['src/ide/shared-text/**'], [editor, collab, workbench, editingCore]),
  layer(['src/ide/workbench/*-part.ts', 'src/ide/workbench/contracts.ts', 'src/ide/workbench/keyboard.ts',
    'src/ide/workbench/turns.ts', 'src/ide/workbench/emitter.ts'], [part, workbenchModule, editingCore, editingInside]),
  { ...layer(['src/ide/*.ts', 'src/ide/tree/**', 'src/ide/run/**', 'src/ide/share/**'], [workbench]), ignores: ['src/ide/index.ts'] },
);
