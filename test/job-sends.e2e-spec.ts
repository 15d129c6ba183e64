import { MikroORM } from '@mikro-orm/postgresql';
import { statementName, transactionDb } from '../src/jobs/transaction-db.js';
import { createCustomer, createProduct, placeOrder } from './support/fixtures.js';
import { actingAsAdmin } from './support/auth.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('jobs sent in a transaction', () => {
  let client: TestApp;
  let orm: MikroORM;
  beforeAll(async () => {
    client = await startTestApp().then(actingAsAdmin);
    orm = client.app.get(MikroORM);
  });
  afterAll(() => client?.close());

  const ECHO = 'select $1::text as echoed';

  it("runs pg-boss's statements as named prepared statements on the transaction's connection", async () => {
    const prepared = await orm.em.fork().transactional(async (em) => {
      const db = transactionDb(em);
      const first = await db.executeSql(ECHO, ['once']);
      // The second use binds the statement prepared by the first (no "must be unique" error).
      const second = await db.executeSql(ECHO, ['twice']);
      expect([first.rows, second.rows]).toEqual([[{ echoed: 'once' }], [{ echoed: 'twice' }]]);
      return em.execute<{ name: string; statement: string }[]>(
        'select name, statement from pg_prepared_statements where name = ?',
        [statementName(ECHO)],
      );
    });
    expect(prepared).toEqual([{ name: statementName(ECHO), statement: ECHO }]);
  });

  it('names a statement by its text: one name per text, another text another name', () => {
    expect(statementName(ECHO)).toBe(statementName(`${ECHO}`));
    expect(statementName(ECHO)).not.toBe(statementName('select $1::int as echoed'));
    expect(statementName(ECHO)).toMatch(/^pgboss_[0-9a-f]{20}$/);
  });

  it('refuses a send outside a transaction', () => {
    expect(() => transactionDb(orm.em.fork())).toThrow(/outside em.transactional/);
  });

  it('writes the confirm and expire jobs of a placed order with its transaction', async () => {
    const customerId = await createCustomer(client);
    const product = await createProduct(client, { stock: 3 });
    const placed = await placeOrder(client, customerId, [{ productId: product.id, quantity: 1 }]);
    expect(placed.status).toBe(201);
    const jobs = await orm.em
      .fork()
      .execute<{ name: string }[]>(
        "select name from pgboss.job where data->>'orderId' = ? order by name",
        [placed.body.id],
      );
    expect(jobs.map((job) => job.name)).toEqual(['order_confirm', 'order_expire']);
  });
});
