// Which Monaco language colours a file, by its extension (or its name, for a few well-known
// files). Only languages whose tokenizers monaco.ts registers appear here.
import { baseName, extensionOf } from '../tree/paths';

const byExtension: Record<string, string> = {
  py: 'python', pyw: 'python',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  // No JSON tokenizer without its worker; JavaScript's colours JSON well enough.
  json: 'javascript',
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescript',
  c: 'c', h: 'c',
  cpp: 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  java: 'java',
  go: 'go',
  rs: 'rust',
  sh: 'shell', bash: 'shell',
  md: 'markdown', markdown: 'markdown',
  html: 'html', htm: 'html',
  css: 'css',
  cs: 'csharp',
  rb: 'ruby',
  kt: 'kotlin',
  swift: 'swift',
  php: 'php',
  sql: 'sql',
  yaml: 'yaml', yml: 'yaml',
  xml: 'xml', svg: 'xml',
  lua: 'lua',
  r: 'r',
  ini: 'ini', toml: 'ini', cfg: 'ini',
};

const byName: Record<string, string> = {
  dockerfile: 'dockerfile',
  makefile: 'shell',
};

export function languageForPath(path: string): string {
  const name = baseName(path).toLowerCase();
  if (byName[name]) return byName[name];
  return byExtension[extensionOf(path)] ?? 'plaintext';
}
