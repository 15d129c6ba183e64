import type { onResponseHookHandler } from 'fastify';
import { routeOf } from './access-log.js';
import type { Metrics } from '../metrics/metrics.service.js';

/** Observes every response into `http_request_duration_seconds`, labelled by route template. */
export function observeRequestDuration(metrics: Metrics): onResponseHookHandler {
  return (request, reply, done) => {
    metrics.httpRequestDuration
      .labels(request.method, routeOf(request), String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
    done();
  };
}
