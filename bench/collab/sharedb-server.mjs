// The ShareDB peer of the benchmark: a ShareDB backend with its in-memory database and pub/sub,
// the ot-text type registered, serving ShareDB's client protocol over WebSocket (one JSON
// message per text frame). Run by run.mjs as a child process, so that the load generator and
// this server do not share an event loop. Prints "listening <port>" once it accepts connections.
//   node sharedb-server.mjs [--port 0]
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

const require = createRequire(import.meta.url);
const ShareDB = require('sharedb');
const otText = require('ot-text');

ShareDB.types.register(otText.type);

const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;

const backend = new ShareDB(); // in-memory database and pub/sub by default

// ShareDB's agent reads and writes one message object at a time through an object-mode duplex
// stream; this one carries them over a WebSocket as JSON text frames.
function messageStream(socket) {
  const stream = new Duplex({
    objectMode: true,
    read() {},
    write(message, _encoding, done) {
      if (socket.readyState !== socket.OPEN) {
        done(new Error('socket closed'));
        return;
      }
      socket.send(JSON.stringify(message), done);
    },
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      socket.close(1003, 'not JSON');
      return;
    }
    stream.push(message);
  });
  socket.on('close', () => stream.push(null));
  stream.on('error', () => socket.terminate());
  stream.on('finish', () => socket.close());
  return stream;
}

const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
server.on('connection', (socket) => backend.listen(messageStream(socket)));
server.on('listening', () => process.stdout.write(`listening ${server.address().port}\n`));

function stop() {
  for (const client of server.clients) client.terminate();
  server.close(() => backend.close(() => process.exit(0)));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark holds our stdin open; when it goes away, so do we.
process.stdin.on('end', stop);
process.stdin.resume();
