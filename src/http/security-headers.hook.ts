import fastifyCors from '@fastify/cors';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { isDocsPage } from './openapi.js';

type HeaderSet = Record<string, string>;

/**
 * Security headers on every response, chosen by route and computed once (security-headers.ts):
 * Swagger UI's page and assets get Helmet's full browser set, everything else (JSON, problem
 * documents, unmatched paths) the API set (docs/decisions/0116-api-security-headers.md).
 */
export function setSecurityHeaders(sets: {
  api: HeaderSet;
  page: HeaderSet;
}): onRequestHookHandler {
  return (request, reply, done) => {
    void reply.headers(isDocsPage(request.routeOptions.url) ? sets.page : sets.api);
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
      'Consistency-Token',
      'X-Request-Id',
    ],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Consistency-Token'],
    // Bearer tokens, not cookies: no credentialed requests.
    credentials: false,
    maxAge: 600,
  });
}
