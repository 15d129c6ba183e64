import fastifyCors from '@fastify/cors';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';

/** Helmet's security headers (computed once, security-headers.ts) on every response. */
export function setSecurityHeaders(headers: Record<string, string>): onRequestHookHandler {
  return (_request, reply, done) => {
    void reply.headers(headers);
    done();
  };
}

/**
 * CORS only for the origins in CORS_ORIGINS: with none listed, no CORS headers at all, so browsers
 * keep other sites out.
 */
export function allowCorsOrigins(fastify: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  // Queued, not awaited: awaiting would load the routes now, before Nest sets its error handler,
  // and Fastify's own errors (400/413/415) would then bypass the problem-details filter.
  void fastify.register(fastifyCors, {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      'X-Request-Id',
    ],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    // Bearer tokens, not cookies: no credentialed requests.
    credentials: false,
    maxAge: 600,
  });
}
