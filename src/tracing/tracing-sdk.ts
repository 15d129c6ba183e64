import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_DB_QUERY_TEXT } from '@opentelemetry/semantic-conventions';
import { MACHINE_ROUTES } from '../metrics/machine-routes.js';
import { sqlWithoutValues } from './sql-without-values.js';

type RawEnvironment = Readonly<Record<string, string | undefined>>;

const namesService = (env: RawEnvironment): boolean =>
  Boolean(env.OTEL_SERVICE_NAME?.trim()) ||
  /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');

/**
 * The OpenTelemetry SDK, configured by the standard OTEL_* variables (exporter, endpoint, protocol,
 * sampler, batch sizes, propagators, resource). Keel adds only what the variables cannot say: which
 * instrumentations, and that it exports traces alone.
 */
export function createTracingSdk(env: RawEnvironment = process.env): NodeSDK {
  return new NodeSDK({
    serviceName: namesService(env) ? undefined : 'keel',
    // Traces only: metrics stay with Prometheus (GET /metrics), logs with pino on stdout. Without
    // these the SDK would also export metrics and logs over OTLP by default.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // The SERVER span of each request, W3C traceparent/tracestate in, and context kept across the
      // request's events (body parsing included).
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => MACHINE_ROUTES.test(request.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      // Names the SERVER span by route template, beneath it one span for Fastify's part of the
      // request. Hook and handler spans are off: each would be another span on every request, and
      // the handler's would only repeat the request span's time (decision 0147).
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        instrumentHandler: false,
      }),
      // One span per SQL statement of a traced request or job; pg-boss polls twice a second
      // outside any trace, and those statements are not recorded. Values never leave the process.
      new PgInstrumentation({
        requireParentSpan: true,
        requestHook: (span, { query }) =>
          span.setAttribute(ATTR_DB_QUERY_TEXT, sqlWithoutValues(query.text)),
      }),
    ],
  });
}
