// A `GET /api/languages` answer in the shape of docs/api.md §5, for the fake gateways.
import type { Language } from '../src/api';

const language = (name: string, displayName: string, extensions: string[], editorLanguage: string, compiled = false): Language =>
  ({ name, displayName, version: '1', extensions, editorLanguage, compiled, languageServer: true });

export const LANGUAGES: Language[] = [
  language('python', 'Python', ['.py'], 'python'),
  language('javascript', 'JavaScript', ['.js', '.mjs', '.cjs'], 'javascript'),
  language('typescript', 'TypeScript', ['.ts'], 'typescript'),
  language('c', 'C', ['.c'], 'c', true),
  language('cpp', 'C++', ['.cpp', '.cc', '.cxx'], 'cpp', true),
  language('java', 'Java', ['.java'], 'java', true),
  language('go', 'Go', ['.go'], 'go', true),
  language('rust', 'Rust', ['.rs'], 'rust', true),
  language('bash', 'Bash', ['.sh', '.bash'], 'shell'),
];
