// Clients that write and then read what they wrote, through the balancer (so the read usually
// lands on another instance than the write): a product created, then read by its id and found by
// a catalogue search for its name. The write's `Consistency-Token` answer header, once Keel sends one, goes back on the
// reads (session consistency, issue 24 item 2). A read that does not show the write is a failure.
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVED_BY } from './haproxy.mjs';
import { send } from './load.mjs';

export const CONSISTENCY_TOKEN = 'consistency-token';

export function startWriteThenRead({
  base,
  authorization,
  clients,
  pairsPerSecond,
  timeoutMs,
  phase,
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const results = {
    pairs: 0,
    withToken: 0,
    readElsewhere: 0,
    requests: 0,
    failures: [],
  };
  const fail = (step, reply, detail) =>
    results.failures.push({
      kind: `write-then-read ${step}`,
      phase: phase(),
      servedBy: reply.headers?.[SERVED_BY] ?? 'none',
      status: reply.status,
      error: reply.error,
      detail: detail ?? reply.text?.slice(0, 300),
      at: new Date().toISOString(),
    });

  const pair = async () => {
    const mark = randomUUID().replaceAll('-', '');
    const written = await send(agent, base, {
      method: 'POST',
      path: '/api/v1/products',
      headers: { authorization },
      body: {
        sku: `PAIR-${mark}`,
        name: `Pair ${mark}`,
        priceCents: 100,
        currency: 'EUR',
        stock: 1,
      },
      timeoutMs,
    });
    results.requests++;
    if (written.error || written.status !== 201) return fail('write', written);
    const id = written.json.id;
    const token = written.headers[CONSISTENCY_TOKEN];
    const headers = { authorization, ...(token ? { [CONSISTENCY_TOKEN]: token } : {}) };
    if (token) results.withToken++;
    const item = await send(agent, base, {
      method: 'GET',
      path: `/api/v1/products/${id}`,
      headers,
      timeoutMs,
    });
    results.requests++;
    if (item.error || item.status !== 200 || item.json?.id !== id) {
      return fail('read', item, `the product just created read back ${item.status ?? item.error}`);
    }
    const list = await send(agent, base, {
      method: 'GET',
      path: `/api/v1/products?q=${mark}`,
      headers,
      timeoutMs,
    });
    results.requests++;
    if (list.error || list.status !== 200 || !list.json?.items?.some((p) => p.id === id)) {
      return fail(
        'search',
        list,
        `a search for the product just created: ${list.status ?? list.error}, ${list.json?.items?.length ?? 0} found`,
      );
    }
    results.pairs++;
    if (item.headers[SERVED_BY] !== written.headers[SERVED_BY]) results.readElsewhere++;
  };

  let running = true;
  const intervalMs = (1000 * clients) / pairsPerSecond;
  const client = async () => {
    while (running) {
      const startedAt = Date.now();
      await pair();
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

/**
 * Catalogue readers: an account that only reads (the product list and products by id), as most
 * of a shop's traffic does. Its reads may lag, so they are the ones a replica serves; the admin's
 * own reads follow its steady writes and stay on the primary (session consistency).
 */
export function startReaders({
  base,
  authorization,
  productIds,
  clients,
  requestsPerSecond,
  timeoutMs,
  phase,
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const results = { requests: 0, failures: [] };
  let running = true;
  const intervalMs = (1000 * clients) / requestsPerSecond;
  const client = async () => {
    while (running) {
      const startedAt = Date.now();
      const byId = Math.random() < 0.5;
      const reply = await send(agent, base, {
        method: 'GET',
        path: byId
          ? `/api/v1/products/${productIds[Math.floor(Math.random() * productIds.length)]}`
          : '/api/v1/products?limit=10',
        headers: { authorization },
        timeoutMs,
      });
      results.requests++;
      const ok = byId ? reply.status === 200 : Array.isArray(reply.json?.items);
      if (reply.error || !ok) {
        results.failures.push({
          kind: byId ? 'reader product' : 'reader list',
          phase: phase(),
          servedBy: reply.headers?.[SERVED_BY] ?? 'none',
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
