// The order rows' correctness: before the load, every server answers an order the same way; after
// it, nothing was oversold (each server on its own products and buyer); any run that shed load
// answered 503 problem documents with Retry-After.
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { httpRequest, parseJson } from '../http.mjs';
import { log } from '../log.mjs';
import { SETTINGS } from '../settings.mjs';
import { AUTHORIZATION } from '../token.mjs';

/**
 * Before the load, each server (on its own products) must answer an order as the other does: 201
 * with the order (same fields, price and total), a 409 problem+json for one unit more than a scarce
 * product has (nothing taken), and 401 without a token. Returns the 201s it answered, per server.
 */
export async function checkOrderAnswers(servers, orders) {
  const post = async (server, body, authorization = AUTHORIZATION) => {
    const response = await httpRequest(`${server.url}/api/v1/orders`, {
      method: 'POST',
      headers: {
        ...(authorization ? { authorization } : {}),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers['content-type']?.split(';')[0],
      location: response.headers.location,
      body: parseJson(response.text),
    };
  };
  const placed = {};
  const seen = [];
  for (const server of servers) {
    const { customerId, productIds } = orders[server.key];
    const productId = productIds.at(-1); // plentiful, price 100 × orderProducts cents
    const price = 100 * SETTINGS.orderProducts;
    const ok = await post(server, { customerId, items: [{ productId, quantity: 1 }] });
    const { id, createdAt, updatedAt, ...rest } = ok.body ?? {};
    const expected = {
      customerId,
      status: 'pending',
      items: [{ productId, quantity: 1, unitPriceCents: price }],
      totalCents: price,
      currency: 'EUR',
      version: 1,
    };
    if (
      ok.status !== 201 ||
      ok.location !== `/api/v1/orders/${id}` ||
      !isDeepStrictEqual(rest, expected) ||
      Number.isNaN(Date.parse(createdAt)) ||
      Number.isNaN(Date.parse(updatedAt))
    ) {
      throw new Error(`${server.name} POST /api/v1/orders: ${JSON.stringify(ok)}`);
    }
    placed[server.key] = 1;
    // One unit more than a scarce product has (Keel accepts at most 10,000 per line).
    const tooMany = SETTINGS.orderScarceStock + 1;
    const short = await post(server, {
      customerId,
      items: [{ productId: productIds[0], quantity: tooMany }],
    });
    const { requestId, ...problem } = short.body ?? {};
    const expectedProblem = {
      type: 'https://keel.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: `Product ${productIds[0]} (Bench product 1) does not have ${tooMany} units in stock.`,
      instance: '/api/v1/orders',
    };
    if (
      short.status !== 409 ||
      short.type !== 'application/problem+json' ||
      typeof requestId !== 'string' ||
      !isDeepStrictEqual(problem, expectedProblem)
    ) {
      throw new Error(`${server.name} POST /api/v1/orders out of stock: ${JSON.stringify(short)}`);
    }
    const anonymous = await post(server, { customerId, items: [{ productId, quantity: 1 }] }, '');
    if (anonymous.status !== 401) {
      throw new Error(`${server.name} POST /api/v1/orders without a token: ${anonymous.status}`);
    }
    seen.push({ key: Object.keys(ok.body).join(), problem: Object.keys(short.body).join() });
  }
  if (seen.some((s) => !isDeepStrictEqual(s, seen[0]))) {
    throw new Error(`the servers' order answers have different fields: ${JSON.stringify(seen)}`);
  }
  log('order answers agree (201 with the order, 409 problem when short, 401 without a token)');
  return placed;
}

/**
 * After a server's order rows, on its own products and buyer: no product below zero; for each,
 * starting stock − stock = units in its order_items; one order per unit (each request is 1 unit);
 * and as many orders as the 201s counted (the check's, warm-up's and measured ones). wrk stops on
 * time with requests in flight, which may still commit unseen: orders − 201s may be above 0, at most
 * the connections of the runs; below 0 (a 201 without its order) fails.
 */
export async function checkNothingOversold(db, server, seen201, inFlightBound) {
  const { customerId, productIds, startingStock } = db.order[server.key];
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    // One snapshot for every count: a server still working off its backlog commits orders between
    // two queries otherwise (seen: 5,985 orders against 5,982 units, 3 committed in between).
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query(
      `select p.id, p.name, p.stock, coalesce(sum(i.quantity), 0)::int as ordered,
              count(i.id)::int as lines
       from products p left join order_items i on i.product_id = p.id
       where p.id = any($1::uuid[]) group by p.id order by p.name`,
      [productIds],
    );
    const products = rows.map((row) => ({
      id: row.id,
      name: row.name,
      startingStock: startingStock[row.id],
      stock: row.stock,
      unitsOrdered: row.ordered,
      ok: row.stock >= 0 && startingStock[row.id] - row.stock === row.ordered,
    }));
    const count = async (sql) => Number((await client.query(sql, [customerId])).rows[0].count);
    const orders = await count('select count(*) from orders where customer_id = $1');
    const ordersWithoutItems = await count(
      `select count(*) from orders o where customer_id = $1
       and not exists (select 1 from order_items i where i.order_id = o.id)`,
    );
    const unitsOrdered = products.reduce((sum, p) => sum + p.unitsOrdered, 0);
    const negative = products.filter((p) => p.stock < 0);
    const arithmetic = products.filter((p) => !p.ok);
    await client.query('commit');
    const unseen = orders - seen201;
    const checks = {
      stockNonNegative: negative.length === 0,
      stockTakenEqualsUnitsOrdered:
        arithmetic.length === 0 && products.length === productIds.length,
      oneOrderPerUnit: orders === unitsOrdered && ordersWithoutItems === 0,
      every201HasAnOrder: unseen >= 0,
    };
    return {
      server: server.key,
      ok: Object.values(checks).every(Boolean),
      checks,
      orders,
      unitsOrdered,
      seen201,
      ordersNotSeenAs201: unseen,
      inFlightBound,
      withinInFlightBound: unseen >= 0 && unseen <= inFlightBound,
      scarce: products
        .filter((p) => p.startingStock === SETTINGS.orderScarceStock)
        .map((p) => `${p.name}: ${p.startingStock} → ${p.stock}`),
      problems: [...new Set([...negative, ...arithmetic])],
    };
  } finally {
    await client.end();
  }
}

export function describeStockCheck(c) {
  const mark = (ok) => (ok ? 'ok' : 'FAILED');
  return [
    `${c.server}: ${c.ok ? 'nothing oversold' : 'OVERSOLD / INCONSISTENT'} — ${c.orders} orders, ${c.unitsOrdered} units in order_items`,
    `  stock >= 0 for all ${SETTINGS.orderProducts} products: ${mark(c.checks.stockNonNegative)}`,
    `  starting stock - stock = units ordered, per product: ${mark(c.checks.stockTakenEqualsUnitsOrdered)}`,
    `  orders = units (1 unit per order): ${mark(c.checks.oneOrderPerUnit)}`,
    `  201s counted by wrk + check: ${c.seen201}; orders - 201s = ${c.ordersNotSeenAs201} (in flight when wrk stopped; bound ${c.inFlightBound}${c.withinInFlightBound ? '' : ', EXCEEDED'}): ${mark(c.checks.every201HasAnOrder)}`,
    `  scarce products: ${c.scarce.join(', ')}`,
    ...c.problems.map(
      (p) => `  ${p.name} (${p.id}): ${p.startingStock} - ${p.stock} != ${p.unitsOrdered}`,
    ),
  ].join('\n');
}
