import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { activeTraceId } from '../tracing/trace-id.js';

/**
 * Tags every log line written while a request is handled with its `reqId` and, when tracing is on,
 * its `traceId`. Opened in `preHandler`, after the body is parsed, so POST and PATCH keep it too
 * (fastify#3570, nestjs-pino#546).
 */
@Injectable()
export class RequestLogScope implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', (request, _reply, done) => {
      const traceId = activeTraceId();
      const bindings = traceId ? { reqId: request.id, traceId } : { reqId: request.id };
      this.logger.runInContext(done, { bindings });
    });
  }
}
