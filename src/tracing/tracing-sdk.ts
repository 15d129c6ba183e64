import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_DB_QUERY_TEXT } from '@opentelemetry/semantic-conventions';
import { KeelSampler } from './keel-sampler.js';
import type { SamplingPolicy } from './sampling.js';
import { sqlWithoutValues } from './sql-without-values.js';

type RawEnvironment = Readonly<Record<string, string | undefined>>;

const namesService = (env: RawEnvironment): boolean =>
  Boolean(env.OTEL_SERVICE_NAME?.trim()) ||
  /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');

/** An exporter named in OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER, other than `none`. */
const asksFor = (exporters: string | undefined): boolean =>
  (exporters ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .some((name) => name !== '' && name !== 'none');

/**
 * The OpenTelemetry SDK, configured by the standard OTEL_* variables (exporter, endpoint, protocol,
 * batch sizes, propagators, resource). Keel adds what the variables cannot say: which
 * instrumentations, the sampler that honours the request hook's decision (the variables' sampler,
 * decided before any span exists: decision 0210), and no metrics or logs unless asked for.
 */
export function createTracingSdk(
  sampling: SamplingPolicy,
  insideRequest: () => boolean,
  env: RawEnvironment = process.env,
): NodeSDK {
  return new NodeSDK({
    serviceName: namesService(env) ? undefined : 'keel',
    sampler: new KeelSampler(sampling, insideRequest),
    // Metrics stay with Prometheus (GET /metrics), logs with pino on stdout. Without these the SDK
    // would export both over OTLP by default, and pg-boss would record histograms nobody reads.
    // OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER naming an exporter still get it.
    metricReaders: asksFor(env.OTEL_METRICS_EXPORTER) ? undefined : [],
    logRecordProcessors: asksFor(env.OTEL_LOGS_EXPORTER) ? undefined : [],
    instrumentations: [
      // The request's server span is Keel's own hook (request-tracing.ts), not an instrumentation.
      // One span per SQL statement of a recorded request or job; pg-boss polls twice a second
      // outside any trace, and an unrecorded request has no span: neither is instrumented. Values
      // never leave the process.
      new PgInstrumentation({
        requireParentSpan: true,
        // No `pg-pool.connect` span: a third of a short read's spans (bench/README.md). Admission
        // control holds requests before they reach the pool, so that wait is in the server span
        // already, and the pool's own is `db_pool_requests_waiting` (decision 0223).
        ignoreConnectSpans: true,
        requestHook: (span, { query }) =>
          span.setAttribute(ATTR_DB_QUERY_TEXT, sqlWithoutValues(query.text)),
      }),
    ],
  });
}
