import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { routeOf } from '../http/access-log.js';
import { Metrics } from './metrics.service.js';

/** Observes every response into `http_request_duration_seconds`, labelled by route template. */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.httpRequestDuration
        .labels(request.method, routeOf(request), String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
      done();
    });
  }
}
