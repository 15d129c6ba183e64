import type { onSendHookHandler } from 'fastify';

/**
 * How much of a refused body Keel reads off the wire and throws away, as a multiple of
 * BODY_LIMIT: enough for a client that sent a little too much, not an invitation to stream.
 */
export const DISCARDED_BODY_LIMITS = 8;

/**
 * Fastify refuses a body whose Content-Length is over BODY_LIMIT before reading it, with
 * `connection: close`. Node then closes the socket while the body is still arriving, the kernel
 * resets the connection, and a client still writing gets EPIPE or ECONNRESET instead of the 413
 * (1 in 25 fetches of a 1.1 MB body here). Without the header, Node reads the rest of the body
 * and discards it (never buffered) and the 413 arrives whole; the connection even stays usable.
 * Bodies declared larger than DISCARDED_BODY_LIMITS × BODY_LIMIT, and bodies without a length,
 * keep Fastify's close: reading them would let a client stream for as long as it likes.
 */
export function answerOversizedBodiesWhole(bodyLimit: number): onSendHookHandler {
  const discardable = bodyLimit * DISCARDED_BODY_LIMITS;
  return (request, reply, _payload, done) => {
    if (reply.statusCode === 413 && !request.raw.complete) {
      const declared = Number(request.headers['content-length']);
      if (declared <= discardable) reply.removeHeader('connection');
    }
    done();
  };
}
