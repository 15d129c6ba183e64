import type { FastifyRequest, onResponseHookHandler } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { requestTraceId } from '../tracing/request-tracing.js';
import { MACHINE_ROUTES } from '../metrics/machine-routes.js';

/** The route template (`/api/v1/customers/:id`), not the URL: log lines and metrics group by it. */
export const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? 'unmatched';

/** What the access log says of one request. */
export interface AccessLine {
  reqId: string;
  /** The request's trace id when tracing is on. */
  traceId?: string;
  /** Absent when the request line could not be read. */
  method?: string;
  route: string;
  url?: string;
  status: number;
  durationMs: number;
}

let root: typeof PinoLogger.root | undefined;
let child: typeof PinoLogger.root | undefined;
/** One child logger per root logger (a new app, e.g. in a test, brings a new root). */
function accessLogger(): typeof PinoLogger.root {
  if (root !== PinoLogger.root || !child) {
    root = PinoLogger.root;
    // No redaction: the line holds only the fields below, never headers or bodies, and the
    // redaction paths' wildcards doubled the cost of every line (decision 0112).
    child = root.child({ context: 'AccessLog' }, { redact: [] });
  }
  return child;
}

/**
 * Writes one access line through the root logger: the line names its request itself, whichever
 * context the caller runs in. Also used for requests answered before any hook runs
 * (http/framework-errors.ts).
 */
export function writeAccessLine(line: AccessLine, quiet = false): void {
  const logger = accessLogger();
  if (quiet) logger.debug(line, 'request');
  else logger.info(line, 'request');
}

/**
 * One line per request, whatever happened to it: method, route, status, duration, request id and,
 * when tracing is on, trace id. Probes and scrapes at debug unless LOG_PROBES=true.
 */
export function logAccess(logProbes: boolean): onResponseHookHandler {
  return (request, reply, done) => {
    const route = routeOf(request);
    writeAccessLine(
      {
        reqId: request.id,
        // Of a recorded request only: an unrecorded one has no trace to look up.
        traceId: requestTraceId(request),
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      !logProbes && MACHINE_ROUTES.test(route),
    );
    done();
  };
}
