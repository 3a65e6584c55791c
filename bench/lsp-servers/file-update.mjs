// How soon a language server sees a file saved while its socket is open (docs/api.md §6 promises
// about 2 s): a Python socket opens with `import fresh; fresh.` in the editor, then fresh.py is
// saved through the REST API with a new function each round, and completion is asked every 50 ms
// until that function is listed. Prints each round's time and the median, with the load average.
//
//   node bench/lsp-servers/file-update.mjs [--url http://127.0.0.1:8080] [--rounds 10]
// Needs a running platform (./webide up) and web/node_modules (for ws).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const WebSocket = require('ws');
const argument = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const base = argument('--url', 'http://127.0.0.1:8080').replace(/\/$/, '');
const rounds = Number(argument('--rounds', '10'));
const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
const json = { 'content-type': 'application/json' };

const username = `bench-fresh-${Date.now()}`;
const password = 'correct-horse-battery-staple-1';
await fetch(`${base}/api/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ username, password }) });
const { accessToken } = await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username, password }) })).json();
const auth = { authorization: `Bearer ${accessToken}` };
const workspace = await (await fetch(`${base}/api/workspaces`, { method: 'POST', headers: { ...json, ...auth }, body: JSON.stringify({ name: 'bench-fresh' }) })).json();
const save = (path, text) => fetch(`${base}/api/workspaces/${workspace.id}/files/${path}`, { method: 'PUT', headers: auth, body: text });
const text = 'import fresh\nfresh.\n';
await save('main.py', text);
await save('fresh.py', 'def nothing_yet():\n    return 0\n');

const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/lsp/${workspace.id}/python?access_token=${encodeURIComponent(accessToken)}`);
const waiting = new Map();
let next = 0;
socket.on('message', (data) => { const message = JSON.parse(data); waiting.get(message.id)?.(message); waiting.delete(message.id); });
socket.on('close', (code, reason) => { console.error(`socket closed: ${code} ${reason}`); process.exit(1); });
await new Promise((resolve) => socket.on('open', resolve));
const request = (method, params) => new Promise((resolve) => { const id = ++next; waiting.set(id, resolve); socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params })); });
const notify = (method, params) => socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
const labels = async () => {
  const answer = await request('textDocument/completion', { textDocument: { uri: 'file:///workspace/main.py' }, position: { line: 1, character: 6 } });
  return (answer.result?.items ?? answer.result ?? []).map((item) => item.label);
};

await request('initialize', { processId: null, rootUri: 'file:///workspace', capabilities: {} });
notify('initialized', {});
notify('textDocument/didOpen', { textDocument: { uri: 'file:///workspace/main.py', languageId: 'python', version: 1, text } });
for (let tries = 0; !(await labels()).includes('nothing_yet') && tries < 200; tries++) await new Promise((r) => setTimeout(r, 100));

console.log(`file updates: load average ${load()}`);
const times = [];
for (let round = 1; round <= rounds; round++) {
  const name = `function_${round}`;
  const started = performance.now();
  await save('fresh.py', `def ${name}():\n    return ${round}\n`);
  while (!(await labels()).includes(name)) {
    if (performance.now() - started > 30_000) { console.error(`round ${round}: not seen within 30 s`); process.exit(1); }
    await new Promise((r) => setTimeout(r, 50));
  }
  times.push(performance.now() - started);
  console.log(`  round ${round}: seen ${times.at(-1).toFixed(0)} ms after the save was sent`);
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms; load average ${load()}`);
socket.close();
