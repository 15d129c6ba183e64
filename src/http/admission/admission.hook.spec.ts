import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { installAdmissionControl } from './admission.hook.js';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One request at a time; the route's handler takes 300 ms and notes when it starts and ends. */
async function serverWithSlowRoute(
  log: string[],
  maxWaitMs = 5000,
): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify();
  const shed = new Counter({
    name: 'shed',
    help: 'shed',
    labelNames: ['reason'],
    registers: [new Registry()],
  });
  installAdmissionControl(app, { concurrency: 1, maxWaitMs }, shed);
  app.post('/api/v1/slow', async (req) => {
    const { name } = req.body as { name: string };
    log.push(`start ${name}`);
    await pause(300);
    log.push(`end ${name}`);
    return { name };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as { port: number }).port };
}

/** The status and Retry-After of an answer, or 'left' when the client closed its connection first. */
type Answer = { status: number; retryAfter?: string } | 'left';

/** When a client leaves: after so many ms, or once a condition holds (polled every 5 ms). */
type Leave = number | (() => boolean);

/** Sends a request on a connection of its own; `leave` closes it before the answer. */
function exchange(port: number, name: string, leave?: Leave): Promise<Answer> {
  return new Promise((done) => {
    const body = JSON.stringify({ name });
    const outgoing = request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/api/v1/slow',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        const retryAfter = response.headers['retry-after'];
        response.on('end', () => done({ status: response.statusCode ?? 0, retryAfter }));
      },
    );
    outgoing.on('error', () => done('left'));
    outgoing.end(body);
    if (typeof leave === 'number') setTimeout(() => outgoing.destroy(), leave);
    if (typeof leave === 'function') {
      const poll = setInterval(() => {
        if (!leave()) return;
        clearInterval(poll);
        outgoing.destroy();
      }, 5);
    }
  });
}

/** The status of the answer to request `name`, or 'left'. */
const send = async (port: number, name: string, leave?: Leave): Promise<number | 'left'> => {
  const answer = await exchange(port, name, leave);
  return answer === 'left' ? answer : answer.status;
};

/** Status and Retry-After of one request; its connection is not expected to close first. */
async function ask(port: number): Promise<Exclude<Answer, 'left'>> {
  const answer = await exchange(port, 'ask');
  if (answer === 'left') throw new Error('the connection closed before the answer');
  return answer;
}

describe('admission control on a Fastify route', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('keeps the slot until the handler answers, even when its client has left', async () => {
    const log: string[] = [];
    const server = await serverWithSlowRoute(log);
    app = server.app;
    // It leaves once its handler has started: a fixed delay let a loaded machine start it late,
    // after its client had gone, which is the next test's case.
    const first = send(server.port, 'a', () => log.includes('start a'));
    while (!log.includes('start a')) await pause(5);
    const second = send(server.port, 'b');
    expect(await first).toBe('left');
    expect(await second).toBe(200);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('does not start a request whose client left while it waited', async () => {
    const log: string[] = [];
    const server = await serverWithSlowRoute(log);
    app = server.app;
    const first = send(server.port, 'a');
    await pause(50);
    const waiting = send(server.port, 'b', 100);
    await pause(50);
    const third = send(server.port, 'c');
    expect(await first).toBe(200);
    expect(await waiting).toBe('left');
    expect(await third).toBe(200);
    expect(log).toEqual(['start a', 'end a', 'start c', 'end c']);
  });

  // A connection that waited in the kernel's accept queue until its client gave up arrives as a
  // request followed by the end of the connection: it must cost no handler (no order placed for
  // nobody), and the next client is served at once.
  it('does not start a request whose client closed the connection right after sending it', async () => {
    const log: string[] = [];
    const server = await serverWithSlowRoute(log);
    app = server.app;
    const body = JSON.stringify({ name: 'gone' });
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.end(
      `POST /api/v1/slow HTTP/1.1\r\nHost: keel\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.resume();
    await once(socket, 'close');
    expect(await send(server.port, 'next')).toBe(200);
    expect(log).toEqual(['start next', 'end next']);
  });

  it('tells a lone refused client to come back after the line bound', async () => {
    const server = await serverWithSlowRoute([], 200);
    app = server.app;
    const first = ask(server.port);
    await pause(50);
    // Waits behind the 300 ms request and is refused at 200 ms, nobody else due back.
    expect(await ask(server.port)).toEqual({ status: 503, retryAfter: '1' });
    expect((await first).status).toBe(200);
  });

  it('tells refused clients to come back later when many wait or are due back, up to twice the bound', async () => {
    const server = await serverWithSlowRoute([], 1000);
    app = server.app;
    const answers = await Promise.all(Array.from({ length: 30 }, () => ask(server.port)));
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(20);
    // 300 ms each, one at a time: the clients already held need far more than 1 s.
    expect(refused.map((answer) => answer.retryAfter)).toContain('2');
    for (const answer of refused) expect(['1', '2']).toContain(answer.retryAfter);
  });
});
