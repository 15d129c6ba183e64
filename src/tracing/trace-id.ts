import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The trace id of the active span, for log lines and 5xx problem documents; undefined when tracing
 * is off (the API's no-op context has no span) or outside any trace.
 */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
