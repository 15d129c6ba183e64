import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { tracingRequested } from './tracing-requested.js';
import { startedTracing } from './tracing-state.js';

/** The function itself, to inspect, not to call. */
const methodOf = (prototype: object, name: string): unknown =>
  (prototype as Record<string, unknown>)[name];

/**
 * Says at start-up whether tracing really runs. An ESM app whose loader hook did not take effect
 * starts without a word and simply never sends pg spans (opentelemetry-js#7034): this checks that
 * pg is patched in the module Keel actually uses and that the request hook is installed, and logs an
 * error naming what is missing.
 */
@Injectable()
export class TracingSelfCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Tracing');

  async onApplicationBootstrap(): Promise<void> {
    if (!tracingRequested(process.env)) return;
    const tracing = startedTracing();
    if (!tracing) {
      this.logger.error(
        'OTEL_* variables ask for traces but the tracing preload did not start: run ' +
          '`node --import ./dist/tracing/preload.js dist/main.js` (as npm run start:prod does)',
      );
      return;
    }
    const missing = await this.unpatched(tracing.requestHookInstalled === true);
    if (missing.length > 0) {
      this.logger.error(
        `tracing is on but the ${missing.join(', ')} instrumentation did not register: its spans ` +
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
      'tracing on: requests and pg instrumented',
    );
  }

  private async unpatched(requestHookInstalled: boolean): Promise<string[]> {
    // Loaded only here, with tracing on: the preload has loaded it already.
    const { isWrapped } = await import('@opentelemetry/instrumentation');
    const checks: [string, boolean][] = [
      ['request', requestHookInstalled],
      ['pg', isWrapped(methodOf(pg.Client.prototype, 'query'))],
    ];
    return checks.filter(([, patched]) => !patched).map(([name]) => name);
  }
}
