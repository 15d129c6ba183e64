// The rehearsal's clients: keep-alive connections through HAProxy, paced to a total rate, mixing
// reads with order placements that carry an Idempotency-Key, and replays of placed orders.
// Every answer is recorded; anything but the expected status is a failed request.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVED_BY } from './haproxy.mjs';

/** One HTTP request on the agent; resolves with what came back, never throws. */
export function send(agent, base, { method, path, headers = {}, body, timeoutMs }) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent,
        timeout: timeoutMs,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, json, text });
        });
        res.on('error', (error) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });
}

/**
 * Runs until `stop()` is called, then waits for the requests in flight. `fixtures`: admin
 * `authorization`, `customerIds`, `productIds`. `phase()` names the current step, for the report.
 */
export function startLoad({ base, settings, fixtures, phase }) {
  const { clients, requestsPerSecond, requestTimeoutMs, mix } = settings.load;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const random = Math.random;
  const pick = (items) => items[Math.floor(random() * items.length)];
  const auth = { authorization: fixtures.authorization };

  const results = {
    requests: 0,
    failures: [],
    byKind: {},
    byInstance: {},
    /** Keyed placements answered 201 the first time: key → { orderId, body, servedBy }. */
    placed: new Map(),
    replays: { total: 0, sameOrder: 0 },
  };
  const orderIds = [];

  const kinds = Object.entries(mix);
  const chooseKind = () => {
    let roll = random();
    for (const [kind, share] of kinds) {
      if ((roll -= share) < 0) return kind;
    }
    return kinds[0][0];
  };

  const placedKeys = [];
  const keyedOrder = (key, body) => ({
    method: 'POST',
    path: '/api/v1/orders',
    headers: { ...auth, 'idempotency-key': key },
    body,
  });

  /** What to send for a kind, and what a right answer is. */
  const plan = (kind) => {
    if (kind === 'replay' && results.placed.size === 0) kind = 'order';
    if (kind === 'readOrder' && orderIds.length === 0) kind = 'status';
    switch (kind) {
      case 'order': {
        const key = randomUUID();
        const body = {
          customerId: pick(fixtures.customerIds),
          items: [{ productId: pick(fixtures.productIds), quantity: 1 + Math.floor(random() * 2) }],
        };
        return {
          kind,
          request: keyedOrder(key, body),
          accept: (reply) =>
            reply.status === 201 && reply.headers['idempotent-replayed'] === undefined,
          record: (reply) => {
            results.placed.set(key, {
              orderId: reply.json.id,
              body,
              servedBy: reply.headers[SERVED_BY],
            });
            orderIds.push(reply.json.id);
            placedKeys.push(key);
          },
        };
      }
      case 'replay': {
        const key = pick(placedKeys);
        const first = results.placed.get(key);
        return {
          kind,
          request: keyedOrder(key, first.body),
          accept: (reply) =>
            reply.status === 201 &&
            reply.headers['idempotent-replayed'] === 'true' &&
            reply.json?.id === first.orderId,
          record: () => results.replays.sameOrder++,
          counted: () => results.replays.total++,
        };
      }
      case 'readOrder':
        return {
          kind,
          request: { method: 'GET', path: `/api/v1/orders/${pick(orderIds)}`, headers: auth },
          accept: (reply) => reply.status === 200,
        };
      case 'listProducts':
        return {
          kind,
          request: { method: 'GET', path: '/api/v1/products?limit=10', headers: auth },
          accept: (reply) => reply.status === 200 && Array.isArray(reply.json?.items),
        };
      default:
        return {
          kind: 'status',
          request: { method: 'GET', path: '/api/v1/status' },
          accept: (reply) => reply.status === 200,
        };
    }
  };

  let running = true;
  const intervalMs = (1000 * clients) / requestsPerSecond;
  const client = async () => {
    while (running) {
      const startedAt = Date.now();
      const step = plan(chooseKind());
      step.counted?.();
      const reply = await send(agent, base, { ...step.request, timeoutMs: requestTimeoutMs });
      results.requests++;
      results.byKind[step.kind] = (results.byKind[step.kind] ?? 0) + 1;
      const servedBy = reply.headers?.[SERVED_BY] ?? 'none';
      results.byInstance[servedBy] = (results.byInstance[servedBy] ?? 0) + 1;
      if (!reply.error && step.accept(reply)) {
        step.record?.(reply);
      } else {
        results.failures.push({
          kind: step.kind,
          phase: phase(),
          servedBy,
          status: reply.status,
          error: reply.error,
          detail: reply.text?.slice(0, 300),
          at: new Date().toISOString(),
        });
      }
      const wait = intervalMs - (Date.now() - startedAt);
      if (wait > 0) await sleep(wait);
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));

  return {
    results,
    async stop() {
      running = false;
      await done;
      agent.destroy();
      return results;
    },
  };
}
