// Shared state across instances, probed on purpose: the login rate limit counts every instance's
// requests together, and an Idempotency-Key answered by one instance is honoured by any other.
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { SERVED_BY } from './haproxy.mjs';
import { send } from './load.mjs';

const agent = new Agent({ keepAlive: false });
const call = (base, request) => send(agent, base, { timeoutMs: 10_000, ...request });

/**
 * `attempts` failed logins for one made-up account through the balancer, one after another.
 * With the counter in PostgreSQL, exactly `limit - priorHits` are let through (401) whichever
 * instance answers, the rest are 429 with Retry-After. `priorHits`: logins this client address made
 * in the current window before the probe.
 */
export async function probeRateLimit({ base, limit, priorHits, attempts = limit + 3 }) {
  const email = `rate-limit-probe-${randomUUID()}@rehearsal.keel.dev`;
  const startedAt = Date.now();
  const replies = [];
  for (let i = 0; i < attempts; i++) {
    replies.push(
      await call(base, {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email, password: 'not-the-password' },
      }),
    );
  }
  const allowed = replies.filter((reply) => reply.status === 401).length;
  const refused = replies.filter(
    (reply) => reply.status === 429 && reply.headers['retry-after'],
  ).length;
  const instances = new Set(replies.map((reply) => reply.headers?.[SERVED_BY]));
  const expected = limit - priorHits;
  return {
    email,
    startedAt,
    check: {
      name: 'rate limit',
      ok: allowed === expected && refused === attempts - expected && instances.size >= 2,
      detail:
        `${attempts} logins over ${[...instances].join(' + ')}: ${allowed}×401, ${refused}×429 ` +
        `(limit ${limit}/min, ${priorHits} used before: ${expected} expected through)`,
    },
  };
}

/**
 * An instance started after the probe refuses the probed account at once: it took the count the
 * others made from PostgreSQL. Only meaningful within the probe's one-minute window.
 */
export async function probeRateLimitSurvives({ instance, email, startedAt }) {
  const name = `rate limit on a new instance`;
  if (Date.now() - startedAt > 58_000) {
    return {
      name,
      ok: true,
      skipped: true,
      detail: `${instance.name} started after the one-minute window had passed (a slow machine)`,
    };
  }
  const reply = await call(instance.base, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email, password: 'not-the-password' },
  });
  return {
    name,
    ok: reply.status === 429,
    detail: `a login for the probed account on ${instance.name}, started after the probe: ${reply.status ?? reply.error} (429 expected)`,
  };
}

/**
 * A keyed order placed through one instance, replayed through another (same order, nothing
 * created), and the same key with another body refused there (422).
 */
export async function probeIdempotency({ first, second, authorization, customerId, productId }) {
  const key = randomUUID();
  const body = { customerId, items: [{ productId, quantity: 1 }] };
  const headers = { authorization, 'idempotency-key': key };
  const placed = await call(first.base, { method: 'POST', path: '/api/v1/orders', headers, body });
  const replayed = await call(second.base, {
    method: 'POST',
    path: '/api/v1/orders',
    headers,
    body,
  });
  const reused = await call(second.base, {
    method: 'POST',
    path: '/api/v1/orders',
    headers,
    body: { ...body, items: [{ productId, quantity: 2 }] },
  });
  const ok =
    placed.status === 201 &&
    replayed.status === 201 &&
    replayed.headers['idempotent-replayed'] === 'true' &&
    replayed.json?.id === placed.json?.id &&
    reused.status === 422;
  return {
    key,
    body,
    orderId: placed.json?.id,
    check: {
      name: 'idempotency across instances',
      ok,
      detail: `placed via ${first.name} ${placed.status}, replayed via ${second.name} ${replayed.status}${
        replayed.json?.id === placed.json?.id ? ' (same order)' : ' (another order!)'
      }, other body via ${second.name} ${reused.status}`,
    },
  };
}

/** The key placed before the restarts, replayed through the replacements. */
export async function probeIdempotencySurvives({ base, authorization, key, body, orderId }) {
  const reply = await call(base, {
    method: 'POST',
    path: '/api/v1/orders',
    headers: { authorization, 'idempotency-key': key },
    body,
  });
  return {
    name: 'idempotency after restarts',
    ok: reply.status === 201 && reply.json?.id === orderId,
    detail: `the first key replayed via ${reply.headers?.[SERVED_BY]}: ${reply.status ?? reply.error}${
      reply.json?.id === orderId ? ', same order' : ', not the same order'
    }`,
  };
}
