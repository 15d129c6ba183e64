import type { onSendHookHandler } from 'fastify';
import { matchesAny } from './etag.js';

/**
 * `If-None-Match` on any GET whose response carries an ETag: when the client already has the
 * current version, the answer is 304 with no body. One hook instead of a branch in every controller.
 */
export const answerConditionalGet: onSendHookHandler = (request, reply, payload, done) => {
  const etag = reply.getHeader('etag');
  if (
    (request.method === 'GET' || request.method === 'HEAD') &&
    reply.statusCode === 200 &&
    typeof etag === 'string' &&
    matchesAny(request.headers['if-none-match'], etag)
  ) {
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    done(null, '');
    return;
  }
  done(null, payload);
};
