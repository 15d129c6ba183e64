import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { Counter } from 'prom-client';
import { ServiceOverloaded } from '../../errors/service-overloaded.js';
import { CLIENT_CLOSED_REQUEST } from '../client-left.js';
import { describeError, problemForStatus } from '../error-table.js';
import { sendProblem } from '../problem-reply.js';
import { REQUEST_ID_HEADER } from '../request-id.js';
import { apiSecurityHeaders } from '../security-headers.js';
import {
  type AdmissionOutcome,
  type AdmissionSettings,
  AdmissionQueue,
} from './admission-queue.js';
import { usesDatabase } from './admitted-routes.js';
import { heldConnections, holdConnectionAfter } from './hold-connection.js';
import { LONGEST_RETRY_AFTER_FACTOR, retryAfterSeconds } from './retry-after.js';

export type ShedReason = Exclude<AdmissionOutcome, 'admitted'>;

/** The `reason` label of http_requests_shed_total. */
const SHED_LABELS: Record<ShedReason, string> = {
  'too-busy': 'too_busy',
  'waited-too-long': 'waited_too_long',
  'client-gone': 'client_gone',
};

/** An admitted request's place among the `concurrency` that run. */
interface Slot {
  admittedAt: number;
  /** Its handler has started (Fastify's preHandler): it runs until it answers. */
  handling: boolean;
  released: boolean;
}

/**
 * Each request's slot, a request decoration rather than a WeakMap keyed by request: its `set` was
 * the busiest line of Keel's own code on the customer read (bench/README.md, 2026-12-07 evening).
 */
const SLOT = Symbol('keel.admissionSlot');

declare module 'fastify' {
  interface FastifyRequest {
    [SLOT]?: Slot | null;
  }
}

/**
 * Whether the client of `request` has closed its connection. Not `raw.destroyed`: admission decides
 * once the body has been read, and a request stream read to its end is destroyed then.
 */
const clientGone = (request: FastifyRequest): boolean =>
  request.raw.readableAborted || request.raw.socket.destroyed;

/** Shedding is logged once when it starts, then at most this often: the access log has each one. */
const SHED_LOG_INTERVAL_MS = 10_000;

/**
 * Admission control in front of the database pool (docs/decisions/0100-admission-control.md): the
 * routes that use the database run at most `concurrency` at a time; the others wait at most
 * `maxWaitMs` in line, or are refused at once when they could not be served in time, with 503
 * problem+json and Retry-After. Probes, /metrics and routes without the database are never held.
 * Decides once the body has arrived (preValidation): a request waiting for its client's body
 * cannot use a slot, and twenty slow uploads held all twenty when it decided in onRequest (issue
 * 21, item 1; decision 0148). A refused request still costs no authentication or ORM context, and
 * its access line is written.
 */
export function installAdmissionControl(
  fastify: FastifyInstance,
  settings: AdmissionSettings,
  shed: Counter<'reason'>,
): AdmissionQueue {
  const queue = new AdmissionQueue(settings);
  const logger = new Logger('Admission');
  const headers = apiSecurityHeaders();
  // Built once for each Retry-After it can carry: a shed request is the cheapest answer there is.
  const shortestRetryAfter = Math.max(1, Math.ceil(settings.maxWaitMs / 1000));
  const overloaded = Array.from(
    { length: shortestRetryAfter * LONGEST_RETRY_AFTER_FACTOR + 1 },
    (_, seconds) => describeError(new ServiceOverloaded(seconds)),
  );
  const clientLeft = problemForStatus(CLIENT_CLOSED_REQUEST);
  // Every reason at 0 from the start, so rate() has a series before the first refusal.
  for (const reason of Object.values(SHED_LABELS)) shed.inc({ reason }, 0);
  fastify.decorateRequest(SLOT, null);
  /** Connections a request has been read from since they were accepted or last held. */
  const readBefore = new WeakSet<Socket>();
  const release = (slot: Slot): void => {
    if (slot.released) return;
    slot.released = true;
    queue.leave(performance.now() - slot.admittedAt);
  };
  let shedSinceLog = 0;
  let lastLogAt = -Infinity;

  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: ShedReason): void => {
    shed.inc({ reason: SHED_LABELS[reason] });
    // A client that left is no sign of overload on its own.
    if (reason !== 'client-gone') shedSinceLog++;
    const now = performance.now();
    if (shedSinceLog > 0 && now - lastLogAt >= SHED_LOG_INTERVAL_MS) {
      logger.warn(
        { shed: shedSinceLog, waiting: queue.waiting, running: queue.inFlight, ...settings },
        'overloaded: refusing requests with 503',
      );
      shedSinceLog = 0;
      lastLogAt = now;
    }
    // Every client already in line or due back from a hold comes before this one.
    const seconds = retryAfterSeconds(
      shortestRetryAfter,
      queue.expectedWaitMs(queue.waiting + heldConnections()),
    );
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
    // A client that left is answered (to no one) 499, never 503: it is no outage (decision 0149).
    const spec = reason === 'client-gone' ? clientLeft : overloaded[seconds];
    sendProblem(reply, spec, {
      requestId: request.id,
      method: request.method,
      url: request.url,
    });
    if (reason !== 'client-gone') {
      holdConnectionAfter(reply, seconds * 1000);
      // The request read after the hold may be one its client sent before giving up.
      if (request.raw.socket) readBefore.delete(request.raw.socket);
    }
  };

  fastify.addHook('preValidation', (request, reply, done) => {
    if (!usesDatabase(request.routeOptions.url)) {
      done();
      return;
    }
    const raw = request.raw;
    const enter = (): void =>
      queue.enter(
        () => clientGone(request),
        (outcome) => {
          if (outcome !== 'admitted') {
            refuse(request, reply, outcome);
            return;
          }
          const slot: Slot = { admittedAt: performance.now(), handling: false, released: false };
          request[SLOT] = slot;
          // A client that leaves before its handler starts frees the slot: the handler will not run.
          reply.raw.once('close', () => {
            if (!slot.handling) release(slot);
          });
          done();
        },
      );
    if (readBefore.has(raw.socket)) {
      enter();
      return;
    }
    readBefore.add(raw.socket);
    // The first request read from a connection: one that waited in the kernel's accept queue, or
    // in a held socket, until its client gave up comes with the client's FIN right behind it, and
    // Node reads that FIN one poll after the request. Deciding two turns of the event loop later
    // lets it be read first, so a client that has left costs no handler (an order for nobody).
    setImmediate(() => setImmediate(enter));
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    const slot = request[SLOT];
    if (!slot) {
      done();
      return;
    }
    // Its client left between admission and here: the handler does not run.
    if (slot.released || clientGone(request)) {
      release(slot);
      refuse(request, reply, 'client-gone');
      return;
    }
    slot.handling = true;
    done();
  });
  // The handler is done once it answers, even to a client that has left: its work held the slot
  // until then, so requests whose clients gave up never run more than `concurrency` at a time.
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    const slot = request[SLOT];
    if (slot) release(slot);
    done(null, payload);
  });
  return queue;
}
