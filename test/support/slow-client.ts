import { connect } from 'node:net';

/** What a slow client saw: the answer's head (if any), and when its connection closed. */
export interface SlowOutcome {
  /** The status line and headers, lower-cased; empty when nothing came back. */
  head: string;
  body: string;
  /** From the moment the headers were written to the moment the server closed the connection. */
  closedAfterMs: number;
}

export interface SlowClient {
  /** Resolves when the server closes the connection (or `giveUpMs` passes: closedAfterMs Infinity). */
  outcome: Promise<SlowOutcome>;
  /** Hangs up now: with a reset when `reset`, else with an orderly close (FIN). */
  leave(reset?: boolean): void;
}

export interface SlowRequest {
  port: number;
  path: string;
  headers?: Record<string, string>;
  /** The Content-Length announced; only the first byte is sent, then one more every `trickleMs`. */
  declaredLength?: number;
  /** Unset: the body stalls after its first byte. */
  trickleMs?: number;
  giveUpMs?: number;
}

/**
 * A client that sends a request's headers and one byte of its body, then nothing (a stall) or one
 * byte every `trickleMs` (a trickle), as the attacker of issue 21, item 1 does.
 */
export function slowClient({
  port,
  path,
  headers = {},
  declaredLength = 1000,
  trickleMs,
  giveUpMs = 60_000,
}: SlowRequest): SlowClient {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let sentAt = performance.now();
  let trickle: NodeJS.Timeout | undefined;
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('connect', () => {
    const lines = [
      `POST ${path} HTTP/1.1`,
      'host: keel.test',
      'content-type: application/json',
      `content-length: ${declaredLength}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    sentAt = performance.now();
    socket.write(`${lines.join('\r\n')}\r\n\r\n{`);
    if (trickleMs !== undefined) {
      trickle = setInterval(() => {
        if (socket.writable) socket.write(' ');
      }, trickleMs);
    }
  });
  let gaveUp = false;
  const outcome = new Promise<SlowOutcome>((done) => {
    const giveUp = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, giveUpMs);
    socket.once('close', () => {
      clearTimeout(giveUp);
      clearInterval(trickle);
      const [head, body = ''] = received.split('\r\n\r\n');
      done({
        head: head.toLowerCase(),
        body,
        closedAfterMs: gaveUp ? Infinity : performance.now() - sentAt,
      });
    });
  });
  return {
    outcome,
    leave(reset = false) {
      clearInterval(trickle);
      if (reset) socket.resetAndDestroy();
      else socket.end();
    },
  };
}
