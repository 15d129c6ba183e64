import type { preHandlerHookHandler } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import { activeTraceId } from '../tracing/trace-id.js';

/**
 * Tags every log line written while a request is handled with its `reqId` and, when tracing is on,
 * its `traceId`. Opened in `preHandler`, after the body is parsed, so POST and PATCH keep it too
 * (fastify#3570, nestjs-pino#546).
 */
export function openLogScope(logger: PinoLogger): preHandlerHookHandler {
  return (request, _reply, done) => {
    const traceId = activeTraceId();
    const bindings = traceId ? { reqId: request.id, traceId } : { reqId: request.id };
    logger.runInContext(done, { bindings });
  };
}
