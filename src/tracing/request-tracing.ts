import {
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestHookHandler,
  onResponseHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import { DECIDED_SAMPLED } from './keel-sampler.js';
import { parseTraceparent, requestSampled } from './sampling.js';
import { startedTracing } from './tracing-state.js';

/**
 * The server span of a recorded request, null for the others: a request decoration, not a WeakMap
 * keyed by request, whose `set` was half of the hook's own time at 3,000 recorded requests a second
 * (bench/README.md, issue 26).
 */
const SERVER_SPAN = Symbol('keel.serverSpan');

declare module 'fastify' {
  interface FastifyRequest {
    [SERVER_SPAN]?: Span | null;
  }
}

/** The trace id of a recorded request, for its access line; undefined otherwise. */
export function requestTraceId(request: FastifyRequest): string | undefined {
  return request[SERVER_SPAN]?.spanContext().traceId;
}

interface RequestTracingOptions {
  /** Requests never traced (probes, scrapes): matched against the URL. */
  untraced: RegExp;
  /** Whether the code running handles a request: the SDK's sampler records no root inside one. */
  insideRequest: () => boolean;
}

/**
 * The SERVER span of each request, named by route template (decision 0210). Sampling is decided
 * first, from the incoming W3C `traceparent`'s flag and the configured sampler, without touching
 * OpenTelemetry: a request that is not recorded gets no span and nothing in the context, so
 * instrumentation-pg (`requireParentSpan`) skips its statements and its cost is one regular
 * expression. A recorded one gets its span in `onRequest` (its time includes the body and the
 * wait for admission) and has it active from `preHandler`, after the body is parsed (a context
 * entered earlier is lost on requests with a body, fastify#3570): guards, the handler, its SQL and
 * the jobs it enqueues run beneath it. No span beneath it but those (decision 0147).
 *
 * Does nothing when tracing is off. Replaces instrumentation-http and @fastify/otel, which did
 * their per-request work before the sampler decided (bench/README.md, issue 26).
 */
export function installRequestTracing(
  fastify: FastifyInstance,
  options: RequestTracingOptions,
): void {
  const tracing = startedTracing();
  if (!tracing) return;
  const { sampling } = tracing;
  tracing.insideRequest = options.insideRequest;
  const tracer = trace.getTracer('keel-http');

  const startServerSpan: onRequestHookHandler = (request, _reply, done) => {
    if (options.untraced.test(request.url)) return done();
    const parent = parseTraceparent(request.headers.traceparent);
    if (!requestSampled(sampling, parent)) return done();
    // Only now OpenTelemetry: the caller's context (traceparent, tracestate, baggage) as parent.
    const callerContext = parent
      ? propagation.extract(ROOT_CONTEXT, request.headers)
      : ROOT_CONTEXT;
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_PATH]: request.url.split('?', 1)[0],
          [ATTR_URL_SCHEME]: request.protocol,
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
        },
      },
      callerContext.setValue(DECIDED_SAMPLED, true),
    );
    request[SERVER_SPAN] = span;
    done();
  };

  const activateServerSpan: preHandlerHookHandler = (request, _reply, done) => {
    const span = request[SERVER_SPAN];
    if (!span) return done();
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  };

  const endServerSpan: onResponseHookHandler = (request, reply, done) => {
    const span = request[SERVER_SPAN];
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  };

  fastify.decorateRequest(SERVER_SPAN, null);
  fastify.addHook('onRequest', startServerSpan);
  fastify.addHook('preHandler', activateServerSpan);
  fastify.addHook('onResponse', endServerSpan);
  tracing.requestHookInstalled = true;
}
