import { WebSocket } from 'ws';

// Opens a WebSocket (no per-message compression, as a browser talking to these servers gets
// none either) and resolves once it is open; rejects with the HTTP status and body when the
// upgrade is refused, or after timeoutMs.
export function openSocket(url, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no WebSocket to ${redact(url)} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('unexpected-response', (request, response) => {
      clearTimeout(timer);
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      // ws leaves a refused upgrade's connection to the listener: close it, or it keeps us alive.
      const connection = response.socket;
      response.on('end', () => {
        request.destroy();
        connection?.destroy();
      });
      response.on('end', () => reject(new Error(`WebSocket upgrade to ${redact(url)} refused: ${response.statusCode} ${body.slice(0, 300)}`)));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`WebSocket to ${redact(url)} failed: ${error.message}`));
    });
  });
}

export function redact(url) {
  return String(url).replace(/access_token=[^&]*/, 'access_token=…');
}

// Runs task(item) over items, at most `limit` at a time, resolving with results in order.
export async function mapLimited(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// Closes a socket and resolves when it is closed (or terminated after timeoutMs).
export function closeSocket(socket, timeoutMs = 3000) {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}

// One character a keystroke: a letter chosen at random, so that documents are not all one letter.
export function randomCharacter() {
  return String.fromCharCode(97 + Math.floor(Math.random() * 26));
}

export function randomPosition(length) {
  return Math.floor(Math.random() * (length + 1));
}
