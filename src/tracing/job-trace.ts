import { ROOT_CONTEXT, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { activeTraceId } from './trace-id.js';

/** The W3C trace context (`traceparent`, `tracestate`) of whoever enqueued a job, in its data. */
export type TraceCarrier = Record<string, string>;

/** The active trace context as W3C headers; undefined outside a trace, or with tracing off. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/**
 * Called in a job's handler: links the span pg-boss opened to process the job (the active span, the
 * root of a trace of its own) to the span that enqueued it, whose context the job's data carries.
 * Returns the job's trace id, for its log lines.
 */
export function linkJobToEnqueuer(enqueuedBy: TraceCarrier | undefined): string | undefined {
  const processing = trace.getActiveSpan();
  const enqueuer = enqueuedBy
    ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, enqueuedBy))
    : undefined;
  if (processing && enqueuer && isSpanContextValid(enqueuer)) {
    processing.addLink({ context: enqueuer });
  }
  return activeTraceId();
}
