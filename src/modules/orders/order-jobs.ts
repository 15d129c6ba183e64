import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../../jobs/job-queue.js';
import { isUuid } from '../../validation/uuid.js';
import {
  ORDER_CONFIRM_QUEUE,
  ORDER_EXPIRE_QUEUE,
  type OrderJob,
  OrdersService,
} from './orders.service.js';

export const ORDER_EXPIRY_SWEEP_QUEUE = 'order_expiry_sweep';
const SWEEP_BATCH = 100;

const describeOrderJob = (data: OrderJob): Record<string, unknown> => ({ orderId: data.orderId });

/**
 * The background work of orders. Each handler runs in an ORM context of its own (no request
 * exists here) and is idempotent: the order's row lock and status decide whether anything happens.
 */
@Injectable()
export class OrderJobs implements OnModuleInit {
  private readonly logger = new Logger('OrderJobs');

  constructor(
    private readonly queue: JobQueue,
    private readonly orders: OrdersService,
    private readonly orm: MikroORM,
  ) {}

  onModuleInit(): void {
    this.queue.define<OrderJob>({
      name: ORDER_CONFIRM_QUEUE,
      handler: (data) => this.confirmOrder(data),
      describe: describeOrderJob,
    });
    this.queue.define<OrderJob>({
      name: ORDER_EXPIRE_QUEUE,
      handler: (data) => this.expireOrder(data),
      describe: describeOrderJob,
    });
    // pg-boss's cron sends the schedule's data, and this schedule has none: its jobs carry `null`.
    this.queue.define<null>({
      name: ORDER_EXPIRY_SWEEP_QUEUE,
      handler: () => this.sweepOverdueOrders(),
      describe: () => ({}),
      cron: '* * * * *',
      options: { retryLimit: 0 },
    });
  }

  confirmOrder(data: OrderJob): Promise<void> {
    return this.inContext(async () => {
      assertOrderJob(data);
      if (await this.orders.confirm(data.orderId)) {
        this.logger.log({ orderId: data.orderId }, 'order confirmed');
      }
    });
  }

  expireOrder(data: OrderJob): Promise<void> {
    return this.inContext(async () => {
      assertOrderJob(data);
      if (await this.orders.expire(data.orderId)) {
        this.logger.log({ orderId: data.orderId }, 'order expired and restocked');
      }
    });
  }

  /** A backstop for expiry jobs that were lost (e.g. deleted by an operator). */
  sweepOverdueOrders(): Promise<void> {
    return this.inContext(async () => {
      for (const orderId of await this.orders.findOverdue(SWEEP_BATCH)) {
        await this.expireOrder({ orderId });
      }
    });
  }

  private inContext(work: () => Promise<void>): Promise<void> {
    return RequestContext.create(this.orm.em, work);
  }
}

/** A malformed payload can never succeed: it fails, is retried, and ends in the dead-letter queue. */
function assertOrderJob(data: OrderJob): void {
  if (typeof data?.orderId !== 'string' || !isUuid(data.orderId)) {
    throw new Error('order job without a valid orderId');
  }
}
