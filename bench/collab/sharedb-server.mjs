// The ShareDB peer of the benchmark: a ShareDB backend with presence enabled and the ot-text
// type registered (lib/text-type.mjs), serving ShareDB's client protocol over WebSocket (one JSON
// message per text frame) on any path, so that the gateway can route a path of its own here.
// Run by run.mjs as a child process, pinned to the CPUs under test, so that the load generator
// and this server do not share an event loop or a core. Prints "listening <port>" once it
// accepts connections.
//
//   node sharedb-server.mjs [--port 0]
//       in memory: ShareDB's in-memory database and pub/sub (one process holds everything)
//   node sharedb-server.mjs --port P --pg postgres://… --redis redis://… [--synchronous-commit off]
//       durable: sharedb-postgres (snapshots and the op log in PostgreSQL) and
//       sharedb-redis-pubsub (operations published through Redis to every instance), so that
//       several of these processes serve the same documents together
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { textType } from './lib/text-type.mjs';

const require = createRequire(import.meta.url);
const ShareDB = require('sharedb');

ShareDB.types.register(textType);

const option = (name, fallback = null) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
};
const port = Number(option('port', '0'));
const pgUrl = option('pg');
const redisUrl = option('redis');
const synchronousCommit = option('synchronous-commit', 'off');
const poolSize = Number(option('pool', '10'));

let db;
let pubsub;
if (pgUrl !== null) {
  const PostgresDB = require('sharedb-postgres');
  // synchronous_commit per session: "off" acknowledges a commit before its WAL is flushed (up
  // to three wal_writer_delay, 0.6 s, can be lost in a crash), as WebIde's Redis append-only
  // file with its default fsync every second; "on" waits for the flush.
  db = new PostgresDB({ connectionString: pgUrl, max: poolSize, options: `-c synchronous_commit=${synchronousCommit}` });
}
if (redisUrl !== null) {
  const RedisPubSub = require('sharedb-redis-pubsub');
  pubsub = new RedisPubSub({ url: redisUrl });
}
if ((db === undefined) !== (pubsub === undefined)) {
  process.stderr.write('sharedb-server: --pg and --redis go together (or neither, for the in-memory server)\n');
  process.exit(2);
}

const backend = new ShareDB({ db, pubsub, presence: true });

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
server.on('error', (error) => {
  process.stderr.write(`sharedb-server: ${error.message}\n`);
  process.exit(1);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  for (const client of server.clients) client.terminate();
  server.close(() => backend.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 3000).unref();
}
// While stopping, an operation still committing may find Redis closed: that is not news.
process.on('uncaughtException', (error) => {
  if (stopping) process.exit(0);
  process.stderr.write(`sharedb-server: ${error.stack ?? error}\n`);
  process.exit(1);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark holds our stdin open; when it goes away, so do we.
process.stdin.on('end', stop);
process.stdin.resume();
