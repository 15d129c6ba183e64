import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import pg from 'pg';
import { tracingRequested } from './tracing-requested.js';
import { startedTracing } from './tracing-state.js';

/** The function itself, to inspect, not to call. */
const methodOf = (prototype: object, name: string): unknown =>
  (prototype as Record<string, unknown>)[name];

/**
 * Says at start-up whether tracing really runs. An ESM app whose loader hook did not take effect
 * starts without a word and simply never sends http or pg spans (opentelemetry-js#7034): this
 * checks that each instrumentation has patched the module Keel actually uses, and logs an error
 * naming the ones that did not.
 */
@Injectable()
export class TracingSelfCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Tracing');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!tracingRequested(process.env)) return;
    if (!startedTracing()) {
      this.logger.error(
        'OTEL_* variables ask for traces but the tracing preload did not start: run ' +
          '`node --import ./dist/tracing/preload.js dist/main.js` (as npm run start:prod does)',
      );
      return;
    }
    const missing = await this.unpatched();
    if (missing.length > 0) {
      this.logger.error(
        `tracing is on but the ${missing.join(', ')} instrumentation did not register: their spans ` +
          'will be missing (was the preload given with --import before dist/main.js?)',
      );
      return;
    }
    const env = process.env;
    this.logger.log(
      {
        exporter: env.OTEL_TRACES_EXPORTER ?? 'otlp',
        endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT,
        sampler: env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
        samplerArg: env.OTEL_TRACES_SAMPLER_ARG,
      },
      'tracing on: http, fastify and pg instrumented',
    );
  }

  private async unpatched(): Promise<string[]> {
    // Loaded only here, with tracing on: the preload has loaded it already.
    const { isWrapped } = await import('@opentelemetry/instrumentation');
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const checks: [string, boolean][] = [
      ['http', isWrapped(methodOf(http.Server.prototype, 'emit'))],
      ['pg', isWrapped(methodOf(pg.Client.prototype, 'query'))],
      ['@fastify/otel', fastify.hasPlugin('@fastify/otel')],
    ];
    return checks.filter(([, patched]) => !patched).map(([name]) => name);
  }
}
