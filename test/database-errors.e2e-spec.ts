import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { actingAsAdmin, uniqueEmail } from './support/auth.js';
import { createCustomer, createProduct, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { type Reply, startTestApp, type TestApp } from './support/test-app.js';

/** What each SQLSTATE a client's data can cause must become (docs/decisions/0043). */
const TABLE: [sqlState: string, status: number][] = [
  ['22001', 400], // string data right truncation
  ['22003', 400], // numeric value out of range
  ['22007', 400], // invalid datetime format
  ['22008', 400], // datetime field overflow
  ['22021', 400], // character not in repertoire
  ['22P02', 400], // invalid text representation
  ['22000', 400], // any other data exception
  ['23502', 400], // not null violation
  ['23001', 409], // restrict violation
  ['23503', 409], // foreign key violation
  ['23505', 409], // unique violation
  ['23P01', 409], // exclusion violation
  ['23000', 409], // any other integrity constraint violation
  ['23514', 422], // check violation
];

const LEAK = 'trigger-secret-text';

/**
 * Real PostgreSQL errors of any SQLSTATE on demand, through the real routes: a row whose name is
 * `raise-<state>` raises it when written, `delete-<state>` when deleted, and an order for a
 * customer named `order-<state>` when placed. Other suites never use such names.
 */
const TRIGGERS = `
create or replace function keel_test_raise() returns trigger language plpgsql as $$
declare
  wanted text;
begin
  if tg_op = 'DELETE' then
    wanted := substring(old.name from '^delete-(.{5})');
  elsif tg_table_name = 'orders' then
    select substring(name from '^order-(.{5})') into wanted from customers where id = new.customer_id;
  else
    wanted := substring(new.name from '^raise-(.{5})');
  end if;
  if wanted is not null then
    raise exception '${LEAK} %', wanted using errcode = wanted;
  end if;
  return coalesce(new, old);
end $$;
create trigger keel_test_raise before insert or update or delete on customers
  for each row execute function keel_test_raise();
create trigger keel_test_raise before insert or update or delete on products
  for each row execute function keel_test_raise();
create trigger keel_test_raise before insert on orders
  for each row execute function keel_test_raise();`;

const DROP_TRIGGERS = `
drop trigger if exists keel_test_raise on customers;
drop trigger if exists keel_test_raise on products;
drop trigger if exists keel_test_raise on orders;
drop function if exists keel_test_raise();`;

describe('PostgreSQL data and integrity errors that reach the error filter', () => {
  let api: TestApp;
  let asAdmin: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query(TRIGGERS);
    api = await startTestApp();
    asAdmin = await actingAsAdmin(api);
  });
  afterAll(async () => {
    await db.query(DROP_TRIGGERS);
    await db.end();
    await api.close();
  });

  /** One request per route family that writes, each made to fail with `state`. */
  const routes: [string, (state: string) => Promise<Reply>][] = [
    [
      'POST /api/v1/auth/register',
      (state) =>
        api.request('POST', '/api/v1/auth/register', {
          email: uniqueEmail(),
          password: 'a long passphrase',
          name: `raise-${state}`,
        }),
    ],
    [
      'POST /api/v1/customers',
      (state) =>
        asAdmin.request('POST', '/api/v1/customers', {
          name: `raise-${state}`,
          email: uniqueEmail(),
        }),
    ],
    [
      'PATCH /api/v1/customers/:id',
      async (state) =>
        asAdmin.request('PATCH', `/api/v1/customers/${await createCustomer(asAdmin)}`, {
          name: `raise-${state}`,
        }),
    ],
    [
      'DELETE /api/v1/customers/:id',
      async (state) => {
        const created = await asAdmin.request<{ id: string }>('POST', '/api/v1/customers', {
          name: `delete-${state}`,
          email: uniqueEmail(),
        });
        return asAdmin.request('DELETE', `/api/v1/customers/${created.body.id}`);
      },
    ],
    [
      'POST /api/v1/products',
      (state) =>
        asAdmin.request('POST', '/api/v1/products', {
          sku: uniqueSku(),
          name: `raise-${state}`,
          priceCents: 100,
          currency: 'EUR',
          stock: 1,
        }),
    ],
    [
      'PATCH /api/v1/products/:id',
      async (state) =>
        asAdmin.request('PATCH', `/api/v1/products/${(await createProduct(asAdmin)).id}`, {
          name: `raise-${state}`,
        }),
    ],
    [
      'DELETE /api/v1/products/:id',
      async (state) =>
        asAdmin.request(
          'DELETE',
          `/api/v1/products/${(await createProduct(asAdmin, { name: `delete-${state}` })).id}`,
        ),
    ],
    [
      'POST /api/v1/orders',
      async (state) => {
        const customer = await asAdmin.request<{ id: string }>('POST', '/api/v1/customers', {
          name: `order-${state}`,
          email: uniqueEmail(),
        });
        const product = await createProduct(asAdmin);
        return asAdmin.request(
          'POST',
          '/api/v1/orders',
          { customerId: customer.body.id, items: [{ productId: product.id, quantity: 1 }] },
          { 'idempotency-key': randomUUID() },
        );
      },
    ],
  ];

  it.each(TABLE)('answers SQLSTATE %s with %i on every route family', async (state, status) => {
    for (const [route, send] of routes) {
      const reply = await send(state);
      expect({ route, status: reply.status }).toEqual({ route, status });
      expectProblem(reply, status);
      expect(reply.text).not.toContain(LEAK);
      expect(reply.headers.get('retry-after')).toBeNull();
    }
  });

  it('answers a protocol violation (08P01) as a bug, 500, not as an outage', async () => {
    const reply = await asAdmin.request('POST', '/api/v1/customers', {
      name: 'raise-08P01',
      email: uniqueEmail(),
    });
    expectProblem(reply, 500);
    expect(reply.headers.get('retry-after')).toBeNull();
  });
});
