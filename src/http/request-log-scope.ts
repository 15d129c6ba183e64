import type { preHandlerHookHandler } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import { activeTraceId } from '../tracing/trace-id.js';

interface RequestLogBindings {
  reqId: string;
  traceId?: string;
}

const scopes = new AsyncLocalStorage<RequestLogBindings>();

/**
 * pino's `mixin` (logging.module.ts): the `reqId` and, when tracing is on, the `traceId` of the
 * request being handled, on every line written for it. A fresh object each time: pino merges the
 * line's own fields into it.
 */
export function requestLogBindings(): Partial<RequestLogBindings> {
  const scope = scopes.getStore();
  if (!scope) return {};
  return scope.traceId ? { reqId: scope.reqId, traceId: scope.traceId } : { reqId: scope.reqId };
}

/** Whether the code running handles a request (the SDK's sampler asks, tracing/keel-sampler.ts). */
export const insideRequest = (): boolean => scopes.getStore() !== undefined;

/**
 * Tags every log line written while a request is handled with its `reqId` and `traceId`. Opened in
 * `preHandler`, after the body is parsed, so POST and PATCH keep it too (fastify#3570,
 * nestjs-pino#546). The bindings are added when a line is written, not by a child logger made
 * for every request, which cost ~6 µs each with redaction on
 * (docs/decisions/0112-log-bindings-by-mixin.md).
 */
export const openLogScope: preHandlerHookHandler = (request, _reply, done) => {
  const traceId = activeTraceId();
  scopes.run(traceId ? { reqId: request.id, traceId } : { reqId: request.id }, done);
};
