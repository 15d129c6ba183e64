import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { type BodyDeadline, installBodyDeadline } from './body-deadline.hook.js';
import { answerOversizedBodiesWhole } from './oversized-body.hook.js';

const TIMEOUT_MS = 300;

/** Headers and the first byte of a 100-byte body; what came back and when the server closed. */
function stalledPost(
  port: number,
  path = '/echo',
): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const sentAt = performance.now();
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => done({ answer, closedAfterMs: performance.now() - sentAt }));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: t\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
    );
  });
}

describe('the body deadline', () => {
  let app: FastifyInstance;
  let deadline: BodyDeadline;
  let port: number;

  const start = async (): Promise<void> => {
    app = Fastify();
    deadline = installBodyDeadline(app, TIMEOUT_MS);
    app.post('/echo', (request) => request.body);
    app.post('/small', { bodyLimit: 50 }, (request) => request.body);
    app.addHook('onSend', answerOversizedBodiesWhole(50));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  };
  afterEach(async () => {
    await app.close();
  });

  it('lets a body that arrives in time through and keeps nothing for it', async () => {
    await start();
    const response = await fetch(`http://127.0.0.1:${port}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await response.json()).toEqual({ a: 1 });
    expect(deadline.arriving).toBe(0);
  });

  it('answers a stalled body 408 problem+json once its time is up, and closes the connection', async () => {
    await start();
    const { answer, closedAfterMs } = await stalledPost(port);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/);
    expect(answer).toMatch(/problems\/request-body-timeout/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(closedAfterMs).toBeLessThan(TIMEOUT_MS + 1000);
    expect(deadline.arriving).toBe(0);
  });

  it('cuts every body still arriving at once when asked (the shutdown)', async () => {
    await start();
    const stalled = stalledPost(port);
    await new Promise((wait) => setTimeout(wait, 50));
    expect(deadline.arriving).toBe(1);
    deadline.cutAll();
    const { answer, closedAfterMs } = await stalled;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(TIMEOUT_MS);
  });

  it('closes the connection of a body still arriving after its request was answered', async () => {
    await start();
    // A 413 is answered at once, and its body read off (oversized-body.hook.ts): for as long as it
    // took, without the deadline.
    const { answer, closedAfterMs } = await stalledPost(port, '/small');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(closedAfterMs).toBeLessThan(TIMEOUT_MS + 1000);
  });
});
