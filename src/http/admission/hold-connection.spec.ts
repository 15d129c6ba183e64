import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import Fastify, { type FastifyInstance } from 'fastify';
import { connect, type Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import { heldConnections, holdConnectionAfter } from './hold-connection.js';

const HOLD_MS = 400;
const ORDER = JSON.stringify({ customerId: 'c', items: [{ productId: 'p', quantity: 1 }] });
const POST = `POST /x HTTP/1.1\r\nHost: t\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(ORDER)}\r\n\r\n${ORDER}`;

/** Refuses every request with 503 and holds its connection, as admission control does. */
async function refusingServer(): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify();
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.code(503).header('retry-after', '1').send({ status: 503 });
    holdConnectionAfter(reply, HOLD_MS);
    done();
  });
  app.post('/x', () => ({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as { port: number }).port };
}

/** A raw keep-alive connection that notes when each answer's status line arrives. */
function client(port: number): Promise<{ socket: Socket; answers: number[] }> {
  return new Promise((done) => {
    const answers: number[] = [];
    const socket = connect(port, '127.0.0.1', () => done({ socket, answers }));
    socket.on('data', (chunk: Buffer) => {
      const refusals = chunk.toString().match(/HTTP\/1\.1 503/g)?.length ?? 0;
      for (let i = 0; i < refusals; i++) answers.push(performance.now());
    });
  });
}

const until = async (check: () => boolean, timeoutMs = 3000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!check() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('holding the connection of a refused request', () => {
  let app: FastifyInstance | undefined;
  let socket: Socket | undefined;
  afterEach(async () => {
    socket?.destroy();
    await app?.close();
  });

  /** A keep-alive connection to a server that refuses and holds every request. */
  async function refusedConnection(): Promise<{ socket: Socket; answers: number[] }> {
    let port: number;
    ({ app, port } = await refusingServer());
    const connection = await client(port);
    socket = connection.socket;
    return connection;
  }

  /**
   * Writes `first` in one go and waits for their answers, then sends one more request: all the
   * answers, and how long after it was sent the last one came.
   */
  async function answerAfterHold(
    first: string[],
  ): Promise<{ answers: number[]; waitedMs: number }> {
    const connection = await refusedConnection();
    connection.socket.write(first.join(''));
    await until(() => connection.answers.length === first.length);
    const sentAgainAt = performance.now();
    connection.socket.write(POST);
    await until(() => connection.answers.length === first.length + 1);
    return {
      answers: connection.answers,
      waitedMs: connection.answers[first.length] - sentAgainAt,
    };
  }

  it('reads the next request on that connection only after the hold', async () => {
    const { answers, waitedMs } = await answerAfterHold([POST]);
    expect(answers).toHaveLength(2);
    expect(waitedMs).toBeGreaterThanOrEqual(HOLD_MS - 20);
  });

  it('still holds when the next request was read before the hold began (two in one packet)', async () => {
    // The second request is in the server's buffer when the first is refused: it is answered at
    // once, and the server's own resume after that answer must not undo the hold.
    const { answers, waitedMs } = await answerAfterHold([POST, POST]);
    expect(answers).toHaveLength(3);
    expect(waitedMs).toBeGreaterThanOrEqual(HOLD_MS - 20);
  });

  it('keeps the connection open: nothing is closed or lost', async () => {
    const connection = await refusedConnection();
    for (let i = 0; i < 3; i++) {
      connection.socket.write(POST);
      await until(() => connection.answers.length === i + 1);
    }
    expect(connection.answers).toHaveLength(3);
    expect(connection.socket.destroyed).toBe(false);
  });

  it('does not let a refusal read during a hold shorten a later one', () => {
    // At thousands of connections the loop reads a connection's next request before the hold of
    // the last one begins; each such refusal used to start a timer of its own, which later
    // resumed the connection in the middle of another hold, and the refusals snowballed.
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const socket = Object.assign(new EventEmitter(), {
        destroyed: false,
        paused: false,
        pause() {
          this.paused = true;
        },
        resume() {
          this.paused = false;
        },
      });
      const refuse = (): void => {
        const raw = Object.assign(new EventEmitter(), { socket });
        holdConnectionAfter({ raw } as unknown as FastifyReply, HOLD_MS);
        raw.emit('finish');
        jest.advanceTimersByTime(0);
      };
      const heldBefore = heldConnections();
      refuse(); // t = 0: held until 400
      jest.advanceTimersByTime(HOLD_MS / 2);
      refuse(); // t = 200: a request that raced the first hold
      expect(socket.paused).toBe(true);
      // One connection held, however many of its requests were refused: one client due back.
      expect(heldConnections()).toBe(heldBefore + 1);
      jest.advanceTimersByTime(HOLD_MS / 2); // t = 400: the first hold ends
      expect(socket.paused).toBe(false);
      expect(heldConnections()).toBe(heldBefore);
      refuse(); // t = 400: the next request is refused and held until 800
      jest.advanceTimersByTime(HOLD_MS - 10); // t = 790
      expect(socket.paused).toBe(true);
      jest.advanceTimersByTime(10);
      expect(socket.paused).toBe(false);
    } finally {
      jest.restoreAllMocks();
      jest.useRealTimers();
    }
  });
});
