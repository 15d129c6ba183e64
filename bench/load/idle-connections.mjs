// The C10k row's idle clients: opens KEEL_BENCH_IDLE_COUNT keep-alive connections to
// KEEL_BENCH_HOST:KEEL_BENCH_PORT with raw sockets, sends one `GET /api/v1/status` on each, reads
// its answer, then leaves the connection idle. Prints `IDLE_READY {...}` once every connection has
// answered (or failed). On stdin, `report` prints `IDLE_REPORT {...}` (how many the server closed
// since), `close` closes them all and exits. Exits by itself after KEEL_BENCH_IDLE_MAX_SECONDS.
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

const host = process.env.KEEL_BENCH_HOST ?? '127.0.0.1';
const port = Number(process.env.KEEL_BENCH_PORT);
const count = Number(process.env.KEEL_BENCH_IDLE_COUNT);
const maxSeconds = Number(process.env.KEEL_BENCH_IDLE_MAX_SECONDS ?? 600);
// Connects in flight at once: a burst of 10,000 SYNs at once tests the listen queue, not idling.
const concurrency = 1000;
const request = `GET /api/v1/status HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`;

const sockets = [];
const tally = { opened: 0, answered: 0, non200: 0, failed: 0, dropped: 0 };
let closing = false;

/** Resolves once the connection answered its request (or failed). */
function open() {
  return new Promise((settle) => {
    const socket = connect({ host, port });
    let buffer = '';
    let answered = false;
    socket.setEncoding('latin1');
    socket.once('connect', () => {
      tally.opened += 1;
      socket.write(request);
    });
    socket.on('data', (chunk) => {
      if (answered) return;
      buffer += chunk;
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      answered = true;
      if (buffer.startsWith('HTTP/1.1 200')) tally.answered += 1;
      else tally.non200 += 1;
      buffer = '';
      settle();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (!answered) {
        tally.failed += 1;
        settle();
      } else if (!closing) {
        tally.dropped += 1;
      }
    });
    sockets.push(socket);
  });
}

const pending = new Set();
for (let i = 0; i < count; i += 1) {
  const opening = open().then(() => pending.delete(opening));
  pending.add(opening);
  if (pending.size >= concurrency) await Promise.race(pending);
}
await Promise.all(pending);
process.stdout.write(`IDLE_READY ${JSON.stringify(tally)}\n`);

const bound = setTimeout(() => finish(), maxSeconds * 1000);
function finish() {
  closing = true;
  clearTimeout(bound);
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'report') process.stdout.write(`IDLE_REPORT ${JSON.stringify(tally)}\n`);
  if (line === 'close') finish();
});
process.stdin.once('end', finish);
