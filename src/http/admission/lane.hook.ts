import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeError } from '../error-table.js';
import { sendProblem } from '../problem-reply.js';
import { REQUEST_ID_HEADER } from '../request-id.js';
import { apiSecurityHeaders } from '../security-headers.js';
import { Lane, type LaneSettings } from './lane.js';

/** Which requests share a lane: one route (its template) and a test on the request. */
export interface LaneRule {
  method: string;
  route: string;
  /** E.g. `(request) => 'q' in query`: a name search, not any list. */
  applies: (request: FastifyRequest) => boolean;
}

/**
 * A lane in front of admission control for one kind of request that costs more than the rest (a
 * substring search): at most `concurrency` of them pass on to admission at once, the others wait
 * here, holding no admission slot, for at most `maxWaitMs` (then 503 + Retry-After). Twenty
 * clients that only search, without pause, so get a lane's share of the slots and of the event
 * loop, and everyone else keeps theirs (docs/decisions/0150-catalogue-search-and-drafts.md).
 * Installed before admission control (request-pipeline.ts).
 */
export function installLane(
  fastify: FastifyInstance,
  rule: LaneRule,
  settings: LaneSettings,
): Lane {
  const lane = new Lane(settings);
  const headers = apiSecurityHeaders();
  const holding = new WeakSet<FastifyRequest>();
  const leave = (request: FastifyRequest): void => {
    if (!holding.delete(request)) return;
    lane.leave();
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    if (
      request.method !== rule.method ||
      request.routeOptions.url !== rule.route ||
      !rule.applies(request)
    ) {
      done();
      return;
    }
    lane.enter().then(
      () => {
        holding.add(request);
        // Whatever happens next (refused by admission, answered, the client gone), the place frees.
        reply.raw.once('close', () => leave(request));
        done();
      },
      (refusal: unknown) => {
        void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
        sendProblem(reply, describeError(refusal), {
          requestId: request.id,
          method: request.method,
          url: request.url,
        });
      },
    );
  });
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    leave(request);
    done(null, payload);
  });
  return lane;
}
