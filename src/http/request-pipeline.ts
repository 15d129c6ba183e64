import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Environment } from '../config/environment.js';
import { openOrmContext } from '../database/request-context.hook.js';
import { installConsistencyTokens } from '../database/replicas/consistency-token.hooks.js';
import { ReplicaReads } from '../database/replicas/replica-reads.js';
import { closeConnectionsWhileDraining } from '../lifecycle/close-while-draining.hook.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { observeRequestDuration } from './request-duration.hook.js';
import { Metrics } from '../metrics/metrics.service.js';
import { logAccess } from './access-log.js';
import { installAdmissionControl } from './admission/admission.hook.js';
import { installManagementPort } from './management-port.js';
import { registerAdmissionMetrics } from './admission/admission.metrics.js';
import { installLane, type LaneRule } from './admission/lane.hook.js';
import { installBodyDeadline } from './body-deadline.hook.js';
import { answerConditionalGet } from './conditional-get.hook.js';
import { installContentNegotiation } from './content-negotiation.hook.js';
import { answerOversizedBodiesWhole } from './oversized-body.hook.js';
import { insideRequest, openLogScope } from './request-log-scope.js';
import { echoRequestId } from './request-id.js';
import { allowCorsOrigins, setSecurityHeaders } from './security-headers.hook.js';
import { apiSecurityHeaders, browserSecurityHeaders } from './security-headers.js';
import { refuseUnstorableText } from './storable-text.hook.js';
import { MACHINE_ROUTES } from '../metrics/machine-routes.js';
import { installRequestTracing } from '../tracing/request-tracing.js';

/** A substring search of the catalogue (`?q=`): dearer than any other read, and public. */
const NAME_SEARCH: LaneRule = {
  method: 'GET',
  route: '/api/v1/products',
  applies: (request) => Boolean((request.query as { q?: unknown }).q),
};

/**
 * The request pipeline, the one place its hooks are installed, in the order a request meets them.
 * Fastify runs hooks phase by phase (onRequest → body parsing → preValidation → preHandler →
 * Nest → onSend → onResponse) and, within a phase, in the order added here. Each hook lives in
 * its own file. Installed before `init()`, so before Nest registers its routes and error handler.
 */
export function installRequestPipeline(app: NestFastifyApplication, env: Environment): void {
  const fastify = app.getHttpAdapter().getInstance();

  // 0. Tracing (on only when OTEL_* ask): sampling decided first, the server span of a recorded
  //    request started in onRequest, active from preHandler (before 7, whose log lines carry its
  //    trace id), ended in onResponse (tracing/request-tracing.ts, decision 0210). Its three hooks
  //    are added here, so each runs first in its phase.
  installRequestTracing(fastify, { untraced: MACHINE_ROUTES, insideRequest });

  // onRequest: before the body is read.
  fastify.addHook('onRequest', echoRequestId); // 1. X-Request-Id on every answer
  // 2. security headers: the API set, Helmet's full set on Swagger UI's page
  fastify.addHook(
    'onRequest',
    setSecurityHeaders({ api: apiSecurityHeaders(), page: browserSecurityHeaders() }),
  );
  // 2b. MANAGEMENT_PORT set: metrics and probes there only, the API on PORT only (404 elsewhere)
  installManagementPort(fastify, { host: env.HOST, port: env.MANAGEMENT_PORT });
  // 3. CORS for the listed origins. @fastify/cors is a plugin, but Fastify queues addHook behind
  //    the plugins registered before it, so its hook still runs here: before admission and the body
  //    deadline, so that a browser can read a 503 and its Retry-After, or a 408
  //    (test/overload.e2e-spec.ts).
  allowCorsOrigins(fastify, env.CORS_ORIGINS);
  // 3a. An Accept that allows no JSON: 406 problem at once (content-negotiation.hook.ts).
  installContentNegotiation(fastify);
  // 3b. Name searches wait in a lane of their own before admission (admission/lane.hook.ts).
  const admissionConcurrency = env.ADMISSION_CONCURRENCY ?? env.DB_POOL_MAX;
  installLane(fastify, NAME_SEARCH, {
    concurrency: Math.max(1, Math.floor(admissionConcurrency / 10)),
    maxWaitMs: env.ADMISSION_MAX_WAIT_MS,
  });
  // 4. Every body arrives within REQUEST_BODY_TIMEOUT_MS of its headers, or is answered 408.
  const bodyDeadline = installBodyDeadline(fastify, env.REQUEST_BODY_TIMEOUT_MS);
  app.get(ShutdownState).beforeHttpClose(() => bodyDeadline.cutAll());

  // preValidation: the body is parsed (json-body-parser.ts), nothing has looked at it yet.
  fastify.addHook('preValidation', refuseUnstorableText); // 5. 400 on text PostgreSQL cannot store
  // 6. Admission control (admission/admission.hook.ts): load beyond the database's capacity waits
  //    in a bounded line or is refused with 503 + Retry-After, once the body has arrived: a slow
  //    upload holds no slot (decision 0148). It also adds the preHandler that marks a request as
  //    started and the onSend that frees its slot.
  const metrics = app.get(Metrics);
  const admission = installAdmissionControl(
    fastify,
    {
      concurrency: admissionConcurrency,
      maxWaitMs: env.ADMISSION_MAX_WAIT_MS,
    },
    metrics.httpRequestsShed,
  );
  registerAdmissionMetrics(metrics.registry, admission);

  // preHandler: contexts opened here reach guards, pipes, the handler and the filter, also on
  // requests with a body (fastify#3570).
  fastify.addHook('preHandler', openLogScope); // 7. reqId on log lines
  fastify.addHook('preHandler', openOrmContext(app.get(MikroORM).em)); // 8. the request's ORM context
  // 8b. Consistency-Token (database/replicas/, decision 0200): a malformed one is a 400; with
  //     replicas, what the request's reads must see (preHandler), and on a write's answer the
  //     primary's WAL position after its commit (an onSend of its own, before 9-11).
  installConsistencyTokens(fastify, app.get(ReplicaReads));

  // Nest: guards (rate limit → authentication → roles), validation pipe, controller, the
  // problem-details filter on any error.

  // onSend: the answer is serialised, headers can still change.
  fastify.addHook('onSend', answerConditionalGet); // 9. 304 when If-None-Match matches the ETag
  // 10. a 413 whose body is still arriving reads it off instead of resetting the connection
  fastify.addHook('onSend', answerOversizedBodiesWhole(env.BODY_LIMIT));
  // 11. after 10: while draining, every answer closes its connection
  fastify.addHook('onSend', closeConnectionsWhileDraining(app.get(ShutdownState)));

  // onResponse: the answer has been sent.
  fastify.addHook('onResponse', observeRequestDuration(metrics)); // 12. duration histogram
  fastify.addHook('onResponse', logAccess(env.LOG_PROBES)); // 13. one access line per request
}
