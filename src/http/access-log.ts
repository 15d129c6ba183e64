import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/config.module.js';
import { activeTraceId } from '../tracing/trace-id.js';
import { MACHINE_ROUTES } from './machine-routes.js';

/** The route template (`/api/v1/customers/:id`), not the URL: log lines and metrics group by it. */
export const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? 'unmatched';

/**
 * One line per request, whatever happened to it: method, route, status, duration, request id and,
 * when tracing is on, trace id.
 */
@Injectable()
export class AccessLog implements OnModuleInit {
  private readonly logProbes: boolean;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.logProbes = config.get('LOG_PROBES', { infer: true });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // The root logger: the line names its request itself, whichever context the hook runs in.
    const logger = PinoLogger.root.child({ context: 'AccessLog' });
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = routeOf(request);
      const line = {
        reqId: request.id,
        // The response's listeners run in the request's trace context (instrumentation-http binds them).
        traceId: activeTraceId(),
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      };
      if (!this.logProbes && MACHINE_ROUTES.test(route)) logger.debug(line, 'request');
      else logger.info(line, 'request');
      done();
    });
  }
}
