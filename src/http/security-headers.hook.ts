import fastifyCors from '@fastify/cors';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config.module.js';
import { securityHeaders } from './security-headers.js';

/**
 * Helmet's security headers on every response (errors and 404s included), and CORS only for the
 * origins in CORS_ORIGINS: with none listed, no CORS headers at all, so browsers keep other sites out.
 * Registered on the Fastify instance before it is ready, like RequestContextHook.
 */
@Injectable()
export class SecurityHeadersHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const headers = securityHeaders();
    fastify.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
    const origins = this.config.get('CORS_ORIGINS', { infer: true });
    if (origins.length === 0) return;
    // Queued, not awaited: awaiting would load the routes now, before Nest sets its error handler,
    // and Fastify's own errors (400/413/415) would then bypass the problem-details filter.
    void fastify.register(fastifyCors, {
      origin: origins,
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
}
