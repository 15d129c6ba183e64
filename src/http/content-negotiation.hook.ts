import fastifyAccepts from '@fastify/accepts';
import { NotAcceptableException } from '@nestjs/common';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { problemForStatus } from './error-table.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * The routes that answer JSON and are negotiated: the API under /api/, but the status route,
 * which monitors call like a probe (src/auth/infrastructure-routes.ts lists it with them).
 */
export const isNegotiatedApiRoute = (pattern: string): boolean =>
  pattern.startsWith('/api/') && pattern !== '/api/v1/status';

/** What every API route answers: its JSON, or a problem document. */
const API_TYPES = ['application/json', PROBLEM_CONTENT_TYPE];

/**
 * Content negotiation as Ktor's ContentNegotiation and Spring do it (issue 27, item 6; decision
 * 0216): an API request whose `Accept` allows neither application/json nor application/problem+json
 * (`application/xml`, `text/html`, `application/json;q=0`) is answered 406 with a problem document
 * before any work is done. No `Accept`, `*∕*`, `application/*` and q-values are read by
 * `accepts` (jshttp's negotiator, through @fastify/accepts). Infrastructure routes (text at `/`,
 * Swagger UI's HTML, Prometheus text, probes) keep answering what they answer: their clients send
 * whatever Accept they send.
 */
export function installContentNegotiation(fastify: FastifyInstance): void {
  void fastify.register(fastifyAccepts);
  const detail = problemForStatus(406).detail;
  const refuseUnacceptable: onRequestHookHandler = (request, _reply, done) => {
    const pattern = request.routeOptions.url;
    if (
      pattern === undefined ||
      request.method === 'OPTIONS' ||
      !isNegotiatedApiRoute(pattern) ||
      request.accepts().type(API_TYPES) !== false
    ) {
      done();
      return;
    }
    done(new NotAcceptableException(detail));
  };
  fastify.addHook('onRequest', refuseUnacceptable);
}
