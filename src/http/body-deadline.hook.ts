import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { RequestBodyTooSlow } from '../errors/request-body-too-slow.js';
import { describeError } from './error-table.js';
import { logFailure, sendProblem } from './problem-reply.js';

/** A request whose body is still arriving, and when it runs out of time. */
interface Arriving {
  request: FastifyRequest;
  reply: FastifyReply;
  timer: NodeJS.Timeout;
}

/** What the shutdown needs of the deadline: cut every body still arriving. */
export interface BodyDeadline {
  /** Bodies still arriving now. */
  readonly arriving: number;
  /** Answers 408 to every request whose body has not arrived yet, and ends its connection. */
  cutAll(): void;
}

/** Whether a request announces a body (RFC 9112 §6.3): a Content-Length above 0, or chunks. */
const announcesBody = (request: FastifyRequest): boolean => {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
};

/**
 * Every request body must arrive within `timeoutMs` of its headers (REQUEST_BODY_TIMEOUT_MS,
 * docs/decisions/0148-a-slot-only-for-a-request-whose-body-has-arrived.md). Fastify sets Node's
 * `requestTimeout` to 0 and Node checks it only every 30 s, so without this a client that sends
 * headers and one byte — or a byte a second — kept its request open for as long as it liked
 * (issue 21, item 1). A body that is late is answered 408 problem+json through the pipeline (request
 * id, security headers, access line, metrics) with `Connection: close`, so the rest is never read;
 * a body still arriving after its request was answered (a 404, a 413 being read off) only has its
 * connection closed. A bound on the whole body, not on the pause between two reads as nginx's
 * `client_body_timeout`: a client trickling one byte a second never pauses long.
 */
export function installBodyDeadline(fastify: FastifyInstance, timeoutMs: number): BodyDeadline {
  const logger = new Logger('Errors');
  const arriving = new Map<IncomingMessage, Arriving>();

  const cut = (raw: IncomingMessage): void => {
    const late = arriving.get(raw);
    if (!late) return;
    clearTimeout(late.timer);
    arriving.delete(raw);
    const { request, reply } = late;
    if (raw.complete || raw.destroyed) return;
    if (reply.sent) {
      raw.socket?.destroy();
      return;
    }
    const error = new RequestBodyTooSlow(timeoutMs);
    const spec = describeError(error);
    const failed = { requestId: request.id, method: request.method, url: request.url };
    logFailure(logger, failed, spec, error);
    // Node closes the connection once this answer is sent, instead of reading the body on.
    void reply.header('connection', 'close');
    sendProblem(reply, spec, failed);
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    if (announcesBody(request) && !raw.complete) {
      const timer = setTimeout(cut, timeoutMs, raw);
      timer.unref();
      arriving.set(raw, { request, reply, timer });
      // Emitted once the body has been read to its end, or the connection is gone.
      raw.once('close', () => {
        clearTimeout(timer);
        arriving.delete(raw);
      });
    }
    done();
  });

  return {
    get arriving() {
      return arriving.size;
    },
    cutAll: () => {
      for (const raw of [...arriving.keys()]) cut(raw);
    },
  };
}
