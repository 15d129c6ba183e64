import { connect } from 'node:net';
import { startBuiltApp, type BuiltApp } from './support/spawned-app.js';

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  text: string;
}

/** Sends bytes as they are (no HTTP client would send these) and reads until the server closes. */
function sendRaw(port: number, request: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    // A server that neither answers nor closes fails the test instead of hanging it.
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const bodyText = rest.join('\r\n\r\n');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(bodyText) as Record<string, unknown>;
      } catch {
        // not JSON: the assertions below say so
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, text });
    });
    socket.end(request);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

describe('errors Fastify and Node raise before any route runs', () => {
  let app: BuiltApp;
  beforeAll(async () => {
    app = await startBuiltApp({ LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
  });

  const accessLines = (): Record<string, unknown>[] =>
    app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.context === 'AccessLog');

  /** A problem document with our headers, a request id, and nothing of Fastify's or the input. */
  async function expectAnswered(reply: RawReply, status: number): Promise<void> {
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    const requestId = reply.headers['x-request-id'];
    expect(requestId).toMatch(/^[A-Za-z0-9._:-]+$/);
    expect(reply.body).toMatchObject({
      type: expect.stringMatching(/^https:\/\/keel\.dev\/problems\//),
      status,
      requestId,
    });
    expect(reply.text).not.toMatch(/FST_|statusCode|Client Error|is not a valid url component/);
    await sleep(200);
    expect(accessLines().filter((line) => line.reqId === requestId)).toEqual([
      expect.objectContaining({ status }),
    ]);
  }

  it('answers a malformed percent-encoding in the path with a 400 problem', async () => {
    const reply = await sendRaw(
      app.port,
      'GET /api/v1/products/%E0%A4%A HTTP/1.1\r\nHost: x\r\nX-Request-Id: bad-url-1\r\nConnection: close\r\n\r\n',
    );
    await expectAnswered(reply, 400);
    expect(reply.headers['x-request-id']).toBe('bad-url-1');
    expect(reply.body.instance).toBe('/api/v1/products/%E0%A4%A');
  });

  it('answers a path parameter longer than the router takes with a 414 problem', async () => {
    const reply = await sendRaw(
      app.port,
      `GET /api/v1/products/${'a'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    await expectAnswered(reply, 414);
  });

  it('answers oversized headers with a 431 problem', async () => {
    const reply = await sendRaw(
      app.port,
      `GET /api/v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    await expectAnswered(reply, 431);
    expect(reply.headers.connection).toBe('close');
  });

  it.each([
    ['is not a number', 'Content-Length: abc\r\n'],
    ['is given twice, differently', 'Content-Length: 2\r\nContent-Length: 3\r\n'],
    ['comes with chunked encoding', 'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n'],
  ])('answers a Content-Length that %s with a 400 problem', async (_, header) => {
    const reply = await sendRaw(
      app.port,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${header}\r\n{}`,
    );
    await expectAnswered(reply, 400);
    expect(reply.body.detail).toMatch(/Content-Length|not valid HTTP/);
  });

  it('keeps serving afterwards', async () => {
    expect((await fetch(`${app.base}/api/v1/status`)).status).toBe(200);
  });
});
