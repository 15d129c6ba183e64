// Must stay the first import: it sets the job environment before the app's modules load.
import './support/job-workers-env.js';
import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { JobQueue } from '../src/jobs/job-queue.js';
import { ORDER_EXPIRY_SWEEP_QUEUE, OrderJobs } from '../src/modules/orders/order-jobs.js';
import { ORDER_CONFIRM_QUEUE } from '../src/modules/orders/orders.service.js';
import {
  createCustomer,
  createProduct,
  eventually,
  type OrderBody,
  placeOrder,
  stockOf,
} from './support/fixtures.js';
import { actingAsAdmin } from './support/auth.js';
import { findJob, sendJob } from './support/job-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('order jobs', () => {
  // Two instances with workers on one database: every test below also checks they share the work.
  let first: TestApp;
  let second: TestApp;
  let customerId: string;
  beforeAll(async () => {
    [first, second] = await Promise.all([
      startTestApp().then(actingAsAdmin),
      startTestApp().then(actingAsAdmin),
    ]);
    customerId = await createCustomer(first);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  const orderOf = async (id: string): Promise<OrderBody> =>
    (await first.request<OrderBody>('GET', `/api/v1/orders/${id}`)).body;

  /** `jobs_processed_total` of one queue and outcome, summed over both instances' /metrics. */
  const processed = async (queue: string, outcome: string): Promise<number> => {
    const pattern = new RegExp(
      `^jobs_processed_total\\{queue="${queue}",outcome="${outcome}"\\} (\\d+)$`,
      'm',
    );
    const counts = await Promise.all(
      [first, second].map(async (app) => {
        const { text } = await app.request('GET', '/metrics');
        return Number(pattern.exec(text)?.[1] ?? 0);
      }),
    );
    return counts[0] + counts[1];
  };

  it('confirms a placed order after ORDER_CONFIRM_DELAY_MS and counts the job as completed', async () => {
    const completedBefore = await processed(ORDER_CONFIRM_QUEUE, 'completed');
    const product = await createProduct(first, { stock: 5 });
    const order = await placeOrder(first, customerId, [{ productId: product.id, quantity: 1 }]);
    expect(order.body.status).toBe('pending');
    await eventually(async () => (await orderOf(order.body.id)).status === 'confirmed');
    expect(await stockOf(first, product.id)).toBe(4);
    await eventually(
      async () => (await processed(ORDER_CONFIRM_QUEUE, 'completed')) === completedBefore + 1,
      5_000,
      'the completed count',
    );
  }, 20_000);

  it('writes a job only when the transaction that sends it commits', async () => {
    const orm = first.app.get(MikroORM);
    const queue = first.app.get(JobQueue);
    const jobsFor = async (orderId: string): Promise<number> => {
      const rows = await orm.em
        .fork()
        .execute<{ count: string }[]>(
          `select count(*) from pgboss.job where name = ? and data->>'orderId' = ?`,
          [ORDER_CONFIRM_QUEUE, orderId],
        );
      return Number(rows[0].count);
    };
    const rolledBack = randomUUID();
    await expect(
      orm.em.fork().transactional(async (em) => {
        await queue.send(ORDER_CONFIRM_QUEUE, { orderId: rolledBack }, { transaction: em });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await jobsFor(rolledBack)).toBe(0);

    const committed = randomUUID();
    await orm.em.fork().transactional(async (em) => {
      await queue.send(ORDER_CONFIRM_QUEUE, { orderId: committed }, { transaction: em });
    });
    expect(await jobsFor(committed)).toBe(1);
  });

  it('expires an order still pending after ORDER_EXPIRY_MS and restocks it, once', async () => {
    const product = await createProduct(first, { stock: 3 });
    const order = await placeOrder(first, customerId, [{ productId: product.id, quantity: 2 }]);
    expect(await stockOf(first, product.id)).toBe(1);
    // Payment never answers: the confirm job is gone before it is due (1.5 s), expiry is at 3 s.
    await first.app
      .get(MikroORM)
      .em.fork()
      .execute(`delete from pgboss.job where name = ? and data->>'orderId' = ?`, [
        ORDER_CONFIRM_QUEUE,
        order.body.id,
      ]);
    await eventually(async () => (await orderOf(order.body.id)).status === 'expired');
    expect(await stockOf(first, product.id)).toBe(3);

    // Handlers are idempotent: running them again changes nothing.
    const jobs = first.app.get(OrderJobs);
    await jobs.expireOrder({ orderId: order.body.id });
    await jobs.confirmOrder({ orderId: order.body.id });
    expect(await stockOf(first, product.id)).toBe(3);
    expect((await orderOf(order.body.id)).status).toBe('expired');
  }, 20_000);

  it('sweeps an overdue order whose expiry job was lost: expired and restocked by the cron job', async () => {
    const orm = first.app.get(MikroORM);
    const product = await createProduct(first, { stock: 4 });
    const order = await placeOrder(first, customerId, [{ productId: product.id, quantity: 3 }]);
    // Both of its jobs are lost before they are due (confirm at 1.5 s), and it was placed an hour ago.
    await orm.em
      .fork()
      .execute(`delete from pgboss.job where data->>'orderId' = ?`, [order.body.id]);
    await orm.em
      .fork()
      .execute(`update orders set created_at = now() - interval '1 hour' where id = ?`, [
        order.body.id,
      ]);
    expect((await orderOf(order.body.id)).status).toBe('pending');

    // The app schedules the sweep every minute; what pg-boss's cron then sends is a job with the
    // schedule's data, `null`. One such job, sent now, goes through the same queue and workers.
    const [schedule] = await orm.em
      .fork()
      .execute<{ cron: string; data: unknown }[]>(
        `select cron, data from pgboss.schedule where name = ?`,
        [ORDER_EXPIRY_SWEEP_QUEUE],
      );
    expect(schedule).toEqual({ cron: '* * * * *', data: null });
    const completedBefore = await processed(ORDER_EXPIRY_SWEEP_QUEUE, 'completed');
    const sweep = await sendJob(ORDER_EXPIRY_SWEEP_QUEUE, null);

    await eventually(
      async () => (await orderOf(order.body.id)).status === 'expired',
      15_000,
      'expiry by the sweep',
    );
    expect(await stockOf(first, product.id)).toBe(4);
    await eventually(
      async () => (await findJob(ORDER_EXPIRY_SWEEP_QUEUE, sweep))?.state === 'completed',
      5_000,
      'the sweep job to complete',
    );
    expect(await processed(ORDER_EXPIRY_SWEEP_QUEUE, 'completed')).toBeGreaterThan(completedBefore);
    expect(await processed(ORDER_EXPIRY_SWEEP_QUEUE, 'failed')).toBe(0);
  }, 30_000);

  it('retries a failing job with backoff, then parks it in the dead-letter queue and counts it', async () => {
    const failedBefore = await processed(ORDER_CONFIRM_QUEUE, 'failed');
    const deadLetteredBefore = await processed(ORDER_CONFIRM_QUEUE, 'dead_lettered');
    // A payload no handler can process: every attempt fails.
    const id = await first.app
      .get(JobQueue)
      .send(
        ORDER_CONFIRM_QUEUE,
        { orderId: 'not-an-order' },
        { retryLimit: 1, retryDelay: 1, retryBackoff: true },
      );
    await eventually(
      async () => (await processed(ORDER_CONFIRM_QUEUE, 'dead_lettered')) > deadLetteredBefore,
      20_000,
      'dead-lettering',
    );
    const job = await findJob(ORDER_CONFIRM_QUEUE, id);
    expect(job).toMatchObject({ state: 'failed', retryCount: 1 });
    // Two attempts failed (retryLimit 1), then the job was dead-lettered once.
    expect(await processed(ORDER_CONFIRM_QUEUE, 'failed')).toBe(failedBefore + 2);
    expect(await processed(ORDER_CONFIRM_QUEUE, 'dead_lettered')).toBe(deadLetteredBefore + 1);
  }, 30_000);

  it('processes each job exactly once across two instances', async () => {
    const spies = [first, second].map((app) => jest.spyOn(app.app.get(OrderJobs), 'confirmOrder'));
    const product = await createProduct(first, { stock: 100 });
    const ids = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const via = i % 2 === 0 ? first : second;
        return (await placeOrder(via, customerId, [{ productId: product.id, quantity: 1 }])).body
          .id;
      }),
    );
    await eventually(
      async () => (await Promise.all(ids.map(orderOf))).every((o) => o.status === 'confirmed'),
      20_000,
      'confirmation of 20 orders',
    );
    const handled = spies.flatMap((spy) =>
      spy.mock.calls.map(([data]) => data.orderId).filter((id) => ids.includes(id)),
    );
    expect(handled.sort()).toEqual([...ids].sort());
    spies.forEach((spy) => spy.mockRestore());
    expect(await stockOf(first, product.id)).toBe(80);
  }, 30_000);

  it('stops gracefully: the running handler finishes, then the instance fetches nothing more', async () => {
    const finished: string[] = [];
    const running = [first, second].map((app) => {
      const jobs = app.app.get(OrderJobs);
      const original = OrderJobs.prototype.confirmOrder.bind(jobs);
      const started: string[] = [];
      const spy = jest.spyOn(jobs, 'confirmOrder').mockImplementation(async (data) => {
        started.push(data.orderId);
        await new Promise((wait) => setTimeout(wait, 800));
        await original(data);
        finished.push(data.orderId);
      });
      return { app, started, spy };
    });
    const product = await createProduct(first, { stock: 10 });
    const order = await placeOrder(first, customerId, [{ productId: product.id, quantity: 1 }]);
    await eventually(
      () => Promise.resolve(running.some((one) => one.started.includes(order.body.id))),
      10_000,
      'the handler to start',
    );
    const busy = running.find((one) => one.started.includes(order.body.id))!;
    expect(finished).not.toContain(order.body.id);
    await busy.app.app.get(JobQueue).stop(5_000);
    expect(finished).toContain(order.body.id);
    expect((await orderOf(order.body.id)).status).toBe('confirmed');

    const idle = running.find((one) => one !== busy)!;
    busy.spy.mockClear();
    const next = await placeOrder(idle.app, customerId, [{ productId: product.id, quantity: 1 }]);
    await eventually(async () => (await orderOf(next.body.id)).status === 'confirmed');
    expect(busy.spy).not.toHaveBeenCalled();
  }, 30_000);
});
