// A stand-in for the platform's gateway, for the soak's own tests only: the REST calls the soak
// makes and the collaboration socket (join, resume, op, ack, at-most-once ids) over ot.js, all
// in memory. `outage(ms)` drops every socket with 1001 and answers 503 (Retry-After: 1) to
// everything for that long, as the platform does while a dependency is down.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../web/e2e/collab/collab-client.mjs', import.meta.url));
const { WebSocketServer } = require('ws');
const TextOperation = require('ot/lib/text-operation.js');

export async function startFakePlatform() {
  const files = new Map(); // `${workspace}/${path}` → text
  const documents = new Map(); // `${workspace}/${path}` → {text, ops: [{op, id, clientId}], ids: Map(id → revision)}
  let workspaces = 0;
  let clients = 0;
  let downUntil = 0;
  const sockets = new Set();

  const send = (response, status, body, type = 'application/json') => {
    const headers = { 'content-type': type };
    if (status === 503) headers['retry-after'] = '1';
    response.writeHead(status, headers);
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url, 'http://fake');
      const path = url.pathname;
      if (path === '/health') return send(response, 200, { status: 'Healthy' });
      if (Date.now() < downUntil) return send(response, 503, { status: 503, title: 'down' });
      const route = `${request.method} ${path}`;
      if (route === 'POST /api/auth/register') return send(response, 201, { id: 'u', username: JSON.parse(body).username });
      if (route === 'POST /api/auth/login' || route === 'POST /api/auth/refresh') return send(response, 200, { accessToken: `t${Math.random()}`, refreshToken: `r${Math.random()}`, tokenType: 'Bearer', expiresIn: 900 });
      if (route === 'POST /api/workspaces') return send(response, 201, { id: `w${++workspaces}`, name: JSON.parse(body).name, role: 'owner' });
      if (route === 'GET /api/workspaces') return send(response, 200, []);
      if (route === 'GET /api/languages') return send(response, 200, [{ name: 'python' }]);
      let match = /^\/api\/workspaces\/([^/]+)\/members\/[^/]+$/.exec(path);
      if (match && request.method === 'PUT') return send(response, 200, {});
      match = /^\/api\/workspaces\/([^/]+)\/tree$/.exec(path);
      if (match) return send(response, 200, { entries: [] });
      match = /^\/api\/workspaces\/([^/]+)\/runs$/.exec(path);
      if (match && request.method === 'POST') {
        const { args } = JSON.parse(body);
        return send(response, 200, { status: 'ok', exitCode: 0, stdout: `${Number(args[0]) * 7}\n`, stderr: '' });
      }
      match = /^\/api\/workspaces\/([^/]+)\/files\/(.+)$/.exec(path);
      if (match) {
        const key = `${match[1]}/${decodeURIComponent(match[2])}`;
        if (request.method === 'PUT') {
          const existed = files.has(key);
          files.set(key, body);
          return send(response, existed ? 200 : 201, { path: match[2], version: 1, size: body.length });
        }
        if (request.method === 'GET') return files.has(key) ? send(response, 200, files.get(key), 'application/octet-stream') : send(response, 404, { status: 404 });
      }
      return send(response, 404, { status: 404, title: `no fake for ${route}` });
    });
  });

  const sockets_ = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const match = /^\/ws\/collab\/([^/?]+)/.exec(request.url);
    if (match === null || Date.now() < downUntil) {
      socket.end(`HTTP/1.1 ${match === null ? 404 : 503} No\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets_.handleUpgrade(request, socket, head, (ws) => serve(ws, decodeURIComponent(match[1])));
  });

  function serve(ws, workspace) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    const clientId = `c${++clients}`;
    let key = null;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'join') {
        key = `${workspace}/${message.path}`;
        if (!documents.has(key)) documents.set(key, { text: files.get(key) ?? '', ops: [], ids: new Map() });
        ws.key = key;
        const document = documents.get(key);
        const joined = { type: 'joined', path: message.path, revision: document.ops.length, clientId, readOnly: false, peers: [] };
        if (message.revision === undefined) joined.content = document.text;
        else joined.ops = document.ops.slice(message.revision).map((entry, index) => ({ revision: message.revision + index + 1, op: entry.op.toJSON(), clientId: entry.clientId, id: entry.id }));
        ws.send(JSON.stringify(joined));
      } else if (message.type === 'op') {
        const document = documents.get(key);
        if (document.ids.has(message.id)) {
          ws.send(JSON.stringify({ type: 'ack', path: message.path, revision: document.ids.get(message.id), id: message.id }));
          return;
        }
        let operation = TextOperation.fromJSON(message.op);
        for (const concurrent of document.ops.slice(message.revision)) operation = TextOperation.transform(operation, concurrent.op)[0];
        document.text = operation.apply(document.text);
        document.ops.push({ op: operation, id: message.id, clientId });
        const revision = document.ops.length;
        document.ids.set(message.id, revision);
        files.set(key, document.text); // the "snapshot", at once
        ws.send(JSON.stringify({ type: 'ack', path: message.path, revision, id: message.id }));
        for (const other of sockets) {
          if (other !== ws && other.key === key) other.send(JSON.stringify({ type: 'op', path: message.path, revision, op: operation.toJSON(), clientId, id: message.id }));
        }
      }
    });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    outage(ms) {
      downUntil = Date.now() + ms;
      for (const ws of sockets) ws.close(1001, 'moved');
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      sockets_.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
