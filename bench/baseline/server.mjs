// The baseline Keel is measured against: raw Fastify + a pg Pool doing the same work as Keel's
// GET /api/v1/status, GET /api/v1/customers/:id and POST /api/v1/orders, with nothing else (no
// Nest, no ORM, no logging, no metrics, no request ids). Same pool size as Keel (DB_POOL_MAX, default 20).
//
//   PORT=3001 DATABASE_URL=postgres://... node bench/baseline/server.mjs
import Fastify from 'fastify';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('baseline: DATABASE_URL is required\n');
  process.exit(1);
}

// Keel's pool (MikroORM -> pg) uses min 0, max DB_POOL_MAX; pg.Pool opens connections on demand too.
const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: Number(process.env.DB_POOL_MAX ?? 20),
});
pool.on('error', (error) =>
  process.stderr.write(`baseline: idle client error: ${error.message}\n`),
);

// Keel's customer routes need a bearer token (HS256, iss keel, aud keel-api; AuthenticationGuard).
// With BASELINE_JWT_SECRET set the baseline checks it the same way, with node:crypto only, so the
// comparison is about the framework and the ORM, not about whether a token is verified.
const jwtSecret = process.env.BASELINE_JWT_SECRET;
const BEARER = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** The token's claims when it is valid (signature, alg, iss, aud, exp, role), else undefined. */
function verifyToken(authorization) {
  const parts = BEARER.exec(authorization ?? '');
  if (!parts) return undefined;
  const [, header, payload, signature] = parts;
  const expected = createHmac('sha256', jwtSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const fresh = typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
    const ours = claims.iss === 'keel' && claims.aud === 'keel-api';
    const role = claims.role === 'admin' || claims.role === 'customer';
    return fresh && ours && role && typeof claims.sub === 'string' ? claims : undefined;
  } catch {
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SELECT_CUSTOMER =
  'select id, name, email, phone, created_at, updated_at, version from customers where id = $1';

const app = Fastify({ logger: false });

app.get('/api/v1/status', async () => ({ status: 'UP', load: 'normal' }));

app.get('/api/v1/customers/:id', async (request, reply) => {
  const { id } = request.params;
  let claims;
  if (jwtSecret) {
    claims = verifyToken(request.headers.authorization);
    if (!claims) return reply.code(401).send({ status: 401, title: 'Unauthorized' });
  }
  // Keel answers 400 to a malformed id (ParseUUIDPipe); so does the baseline, without asking PG.
  if (!UUID.test(id)) return reply.code(400).send({ status: 400, title: 'Bad Request' });
  // Unnamed (parse/bind each time), as an ORM sends it; a named prepared statement would be faster.
  // Ownership as Keel's: an admin sees every customer, a customer only their own (else 404).
  if (claims && claims.role !== 'admin' && claims.cid !== id) {
    return reply.code(404).send({ status: 404, title: 'Not Found' });
  }
  const { rows } = await pool.query(SELECT_CUSTOMER, [id]);
  if (rows.length === 0) return reply.code(404).send({ status: 404, title: 'Not Found' });
  const row = rows[0];
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
});

// The same work as Keel's POST /api/v1/orders (docs/decisions/0030): one transaction, the customer
// checked, stock taken by a conditional UPDATE per product in a fixed (id) order, the order and its
// items written; no job (Keel enqueues its confirm and expire jobs in the same transaction). Answers
// as Keel does: 201 with the order, or a 409 problem+json when a product is short.
const PROBLEM = 'application/problem+json';
const problem = (reply, status, slug, title, detail) =>
  reply
    .code(status)
    .type(PROBLEM)
    .send({
      type: `https://keel.dev/problems/${slug}`,
      title,
      status,
      detail,
      instance: '/api/v1/orders',
      requestId: randomUUID(),
    });

class OutOfStock extends Error {}

app.post('/api/v1/orders', async (request, reply) => {
  // As Keel does with a well-formed X-Request-Id: the order row's client times answers by it.
  const requestId = request.headers['x-request-id'];
  if (typeof requestId === 'string') reply.header('x-request-id', requestId);
  if (jwtSecret && !verifyToken(request.headers.authorization)) {
    return reply.code(401).send({ status: 401, title: 'Unauthorized' });
  }
  const { customerId, items } = request.body ?? {};
  const valid =
    UUID.test(customerId ?? '') &&
    Array.isArray(items) &&
    items.length > 0 &&
    items.every(
      (i) =>
        UUID.test(i?.productId ?? '') &&
        Number.isInteger(i.quantity) &&
        i.quantity > 0 &&
        i.quantity <= 10_000,
    );
  if (!valid) return reply.code(400).send({ status: 400, title: 'Bad Request' });
  const quantities = new Map();
  for (const item of items) {
    quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  }
  const productIds = [...quantities.keys()].sort();
  const client = await pool.connect();
  try {
    await client.query('begin');
    const customer = await client.query('select id from customers where id = $1', [customerId]);
    if (customer.rows.length === 0) {
      await client.query('rollback');
      return problem(reply, 422, 'rule-violation', 'Unprocessable content', 'Unknown customer.');
    }
    const lines = [];
    let currency;
    for (const productId of productIds) {
      const quantity = quantities.get(productId);
      const { rows } = await client.query(
        `update products set stock = stock - $2, version = version + 1, updated_at = now()
         where id = $1 and active and stock >= $2 returning price_cents, currency`,
        [productId, quantity],
      );
      if (rows.length === 0) {
        const name = (await client.query('select name from products where id = $1', [productId]))
          .rows[0]?.name;
        throw new OutOfStock(
          `Product ${productId} (${name}) does not have ${quantity} units in stock.`,
        );
      }
      // price_cents is bigint: pg returns it as text (Keel reads it as a number, see decision 0042).
      lines.push({ productId, quantity, unitPriceCents: Number(rows[0].price_cents) });
      currency = rows[0].currency;
    }
    const orderId = randomUUID();
    const total = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const { rows } = await client.query(
      `insert into orders (id, customer_id, status, total_cents, currency, created_at, updated_at, version)
       values ($1, $2, 'pending', $3, $4, now(), now(), 1) returning created_at, updated_at`,
      [orderId, customerId, total, currency],
    );
    for (const line of lines) {
      await client.query(
        `insert into order_items (id, order_id, product_id, quantity, unit_price_cents)
         values ($1, $2, $3, $4, $5)`,
        [randomUUID(), orderId, line.productId, line.quantity, line.unitPriceCents],
      );
    }
    await client.query('commit');
    return reply.code(201).header('location', `/api/v1/orders/${orderId}`).send({
      id: orderId,
      customerId,
      status: 'pending',
      items: lines,
      totalCents: total,
      currency,
      createdAt: rows[0].created_at.toISOString(),
      updatedAt: rows[0].updated_at.toISOString(),
      version: 1,
    });
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if (error instanceof OutOfStock)
      return problem(reply, 409, 'conflict', 'Conflict', error.message);
    throw error;
  } finally {
    client.release();
  }
});

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  const t0 = Date.now();
  await app.close();
  process.stderr.write(`baseline: http closed after ${Date.now() - t0} ms\n`);
  await pool.end();
  process.stderr.write(`baseline: pool closed after ${Date.now() - t0} ms\n`);
  process.exit(0);
}
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

// Keel's LISTEN_BACKLOG default: a burst of 10,000 connections is queued, not left in SYN retries.
await app.listen({ port, host, backlog: Number(process.env.LISTEN_BACKLOG ?? 16_384) });
process.stderr.write(`baseline: serving on http://${host}:${port}\n`);
