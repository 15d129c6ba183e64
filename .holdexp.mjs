import Fastify from 'fastify';
const variant = process.env.V ?? 'immediate';
const HOLD = 3000;
const app = Fastify({ logger: false });
let sheds = 0;
function hold(socket) {
  if (socket.destroyed) return;
  socket.pause();
  setTimeout(() => socket.resume(), HOLD).unref();
}
const BUSY = Number(process.env.BUSY ?? 0);
app.addHook('onRequest', (request, reply, done) => {
  sheds++;
  if (BUSY) { const t = performance.now(); while (performance.now() - t < BUSY / 1000); }
  if (variant === 'flag') {
    reply.raw.once('finish', () => setImmediate(() => {
      if (socket.destroyed) return;
      socket._paused = true; socket.pause();
      setTimeout(() => { socket._paused = false; socket.parser?.resume(); socket.resume(); }, HOLD).unref();
    }));
  }
  const socket = request.raw.socket;
  if (variant === 'immediate') {
    reply.raw.once('finish', () => setImmediate(hold, socket));
  } else if (variant === 'finish-sync') {
    reply.raw.once('finish', () => hold(socket));
  } else if (variant === 'close') {
    reply.header('connection', 'close');
  } else if (variant === 'readstop') {
    reply.raw.once('finish', () => {
      const h = socket._handle;
      if (!h) return;
      // stop at libuv level; restart after the hold
      setImmediate(() => { if (socket.destroyed) return; socket.pause(); h.readStop(); h.reading = false; setTimeout(() => socket.resume(), HOLD).unref(); });
    });
  }
  if (variant === 'after-send') {
    reply.code(503).header('retry-after', '3').send({ status: 503 });
    reply.raw.once('finish', () => setImmediate(hold, socket));
    return;
  }
  reply.code(503).header('retry-after', '3').send({ status: 503 });
});
app.post('/x', async () => ({}));
app.get('/x', async () => ({}));
setInterval(() => { process.stderr.write(`sheds ${sheds}\n`); }, 1000).unref();
await app.listen({ port: 3200, host: '127.0.0.1', backlog: 16384 });
