import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { matchesAny } from './etag.js';

/**
 * `If-None-Match` on any GET whose response carries an ETag: when the client already has the
 * current version, the answer is 304 with no body. One hook instead of a branch in every controller.
 */
@Injectable()
export class ConditionalGetHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', (request, reply, payload, done) => {
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
    });
  }
}
