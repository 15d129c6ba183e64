import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../auth/actor.js';
import { canAccessCustomer, visibleCustomerIds } from '../../auth/ownership.js';
import { translateFlushErrors } from '../../database/flush.js';
import { JobQueue } from '../../jobs/job-queue.js';
import type { Page, PageRequest } from '../../pagination/page.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { Product } from '../products/product.entity.js';
import { ProductsService, type TakenStock } from '../products/products.service.js';
import { IdempotencyKeys, requestHash } from './idempotency-keys.js';
import { type OrdersConfig, ordersConfig } from './orders.config.js';
import { OrderItem } from './order-item.entity.js';
import { ORDER_CUSTOMER_FOREIGN_KEY, Order } from './order.entity.js';
import {
  IdempotencyKeyReused,
  OrderCustomerUnknown,
  OrderForAnotherCustomer,
  OrderMixesCurrencies,
  OrderNotCancellable,
  OrderNotFound,
  OrderProductUnavailable,
  OutOfStock,
} from './order.errors.js';
import { type OrderFilter, OrdersRepository } from './orders.repository.js';

export interface NewOrder {
  customerId: string;
  items: { productId: string; quantity: number }[];
}

export interface PlacedOrder {
  order: Order;
  /** True when an Idempotency-Key replayed an earlier request: nothing was created. */
  replayed: boolean;
}

export const ORDER_CONFIRM_QUEUE = 'order_confirm';
export const ORDER_EXPIRE_QUEUE = 'order_expire';
export interface OrderJob {
  orderId: string;
}

@Injectable()
export class OrdersService {
  private readonly confirmDelayMs: number;
  private readonly expiryMs: number;

  constructor(
    private readonly em: EntityManager,
    private readonly orders: OrdersRepository,
    private readonly products: ProductsService,
    private readonly customers: CustomersService,
    private readonly keys: IdempotencyKeys,
    private readonly jobs: JobQueue,
    @Inject(ordersConfig.KEY) config: OrdersConfig,
  ) {
    this.confirmDelayMs = config.ORDER_CONFIRM_DELAY_MS;
    this.expiryMs = config.ORDER_EXPIRY_MS;
  }

  /** Someone else's order is reported as not found, exactly like a missing one. */
  async get(actor: Actor, id: string): Promise<Order> {
    const order = await this.find(id);
    if (!canAccessCustomer(actor, order.customer.id)) throw new OrderNotFound(id);
    return order;
  }

  /** Admins see every order; a customer only their own, whatever `customerId` they ask for. */
  list(actor: Actor, request: PageRequest, filter: OrderFilter): Promise<Page<Order>> {
    const visible = visibleCustomerIds(actor);
    if (visible && filter.customerId && !visible.includes(filter.customerId)) {
      return Promise.resolve({ items: [], nextCursor: null });
    }
    return this.orders.findPage(request, { ...filter, visibleCustomerIds: visible });
  }

  async listOfCustomer(
    actor: Actor,
    customerId: string,
    request: PageRequest,
  ): Promise<Page<Order>> {
    // Someone else's record is not found, exactly like a missing one (CustomersService.get).
    await this.customers.get(actor, customerId);
    return this.orders.findPage(request, { customerId });
  }

  private async find(id: string): Promise<Order> {
    const order = await this.orders.findById(id);
    if (!order) throw new OrderNotFound(id);
    return order;
  }

  /**
   * Places an order once per account and `idempotencyKey`: the same key and body answer the first
   * order again; another body is refused; a duplicate of a request still running waits for it.
   */
  async placeOnce(actor: Actor, input: NewOrder, idempotencyKey?: string): Promise<PlacedOrder> {
    if (!canAccessCustomer(actor, input.customerId)) throw new OrderForAnotherCustomer();
    const key =
      idempotencyKey === undefined ? undefined : { accountId: actor.userId, idempotencyKey };
    const placed = await this.place(input, key);
    // A new order is answered from the entities just written; a replay reads the first one.
    if (placed.replayed) return { order: await this.find(placed.orderId), replayed: true };
    return { order: placed.order, replayed: false };
  }

  /**
   * One transaction: claim the key, enqueue the order's jobs, take the stock with conditional
   * updates (which also check that each product is for sale) and write the order (whose foreign
   * key checks the customer). Any failure rolls all of it back, the key's claim included. Products are read
   * only to explain a refusal: the updates return the price and currency an order needs.
   */
  private async place(
    input: NewOrder,
    key?: { accountId: string; idempotencyKey: string },
  ): Promise<{ replayed: true; orderId: string } | { replayed: false; order: Order }> {
    const quantities = new Map<string, number>();
    for (const item of input.items) {
      quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
    }
    // A fixed order of row locks: two orders of the same products never deadlock.
    const productIds = [...quantities.keys()].sort();

    return this.em.transactional(async (em) => {
      // The order's id is chosen first, so its key is claimed before any stock is taken.
      const orderId = uuidv7();
      if (key !== undefined) {
        const hash = requestHash(input);
        const claim = await this.keys.claim(key.accountId, key.idempotencyKey, hash, orderId);
        if (claim.kind === 'seen') {
          if (claim.requestHash !== hash) throw new IdempotencyKeyReused();
          return { replayed: true, orderId: claim.orderId };
        }
      }
      // The jobs first: a product's row stays locked from its stock update to the commit, so what
      // runs after the update is kept to the order's own rows (decision 0140).
      await this.enqueueLifecycle(em, orderId);
      const lines: TakenStock[] = [];
      for (const id of productIds) {
        const taken = await this.products.reserveStock(id, quantities.get(id)!);
        if (!taken) throw await this.whyNotPlaceable(productIds, quantities, id);
        lines.push(taken);
      }
      if (new Set(lines.map((line) => line.currency)).size > 1) throw new OrderMixesCurrencies();

      const order = em.create(Order, {
        id: orderId,
        customer: em.getReference(Customer, input.customerId),
        currency: lines[0].currency,
        totalCents: lines.reduce(
          (sum, line) => sum + line.priceCents * quantities.get(line.id)!,
          0,
        ),
      });
      for (const line of lines) {
        em.create(OrderItem, {
          order,
          product: em.getReference(Product, line.id),
          quantity: quantities.get(line.id)!,
          unitPriceCents: line.priceCents,
        });
      }
      // The customer is checked by its foreign key, not read first: one round trip fewer.
      await translateFlushErrors(em, {
        missingReference: {
          [ORDER_CUSTOMER_FOREIGN_KEY]: () => new OrderCustomerUnknown(input.customerId),
        },
      });
      return { replayed: false, order };
    });
  }

  /** The confirm and expire jobs of a new order, written in its transaction. */
  private async enqueueLifecycle(em: EntityManager, orderId: string): Promise<void> {
    const now = Date.now();
    await this.jobs.send<OrderJob>(
      ORDER_CONFIRM_QUEUE,
      { orderId },
      { startAfter: new Date(now + this.confirmDelayMs), transaction: em },
    );
    await this.jobs.send<OrderJob>(
      ORDER_EXPIRE_QUEUE,
      { orderId },
      { startAfter: new Date(now + this.expiryMs), transaction: em },
    );
  }

  /**
   * The refusal for an order whose stock could not be taken for `shortId`, checked in the order a
   * client should hear it: a product missing or not for sale, then mixed currencies, then the
   * shortage itself.
   */
  private async whyNotPlaceable(
    productIds: string[],
    quantities: Map<string, number>,
    shortId: string,
  ): Promise<Error> {
    const products = await this.products.findByIds(productIds);
    for (const id of productIds) {
      const product = products.find((candidate) => candidate.id === id);
      if (!product || !product.active) return new OrderProductUnavailable(id);
    }
    if (new Set(products.map((product) => product.currency)).size > 1) {
      return new OrderMixesCurrencies();
    }
    const short = products.find((product) => product.id === shortId)!;
    return new OutOfStock(shortId, short.name, quantities.get(shortId)!);
  }

  /** A pending or confirmed order is cancelled and its stock returned, in one transaction. */
  async cancel(actor: Actor, id: string): Promise<Order> {
    await this.get(actor, id);
    await this.em.transactional(async () => {
      const order = await this.orders.lockById(id);
      if (!order) throw new OrderNotFound(id);
      if (order.status === 'cancelled' || order.status === 'expired') {
        throw new OrderNotCancellable(id, order.status);
      }
      await this.restock(order);
      order.status = 'cancelled';
    });
    this.em.clear();
    return this.find(id);
  }

  /** The confirm job: pending → confirmed. Running it again, or after a cancel, changes nothing. */
  async confirm(id: string): Promise<boolean> {
    return this.em.transactional(async () => {
      const order = await this.orders.lockById(id);
      if (!order || order.status !== 'pending') return false;
      order.status = 'confirmed';
      return true;
    });
  }

  /**
   * The expiry job, due ORDER_EXPIRY_MS after the order was placed: an order still pending expires
   * and its stock is returned. Running it again, or on an order that moved on, changes nothing.
   */
  async expire(id: string): Promise<boolean> {
    return this.em.transactional(async () => {
      const order = await this.orders.lockById(id);
      if (!order || order.status !== 'pending') return false;
      await this.restock(order);
      order.status = 'expired';
      return true;
    });
  }

  /** Orders the expiry sweep should look at (a backstop for lost expiry jobs). */
  findOverdue(limit: number): Promise<string[]> {
    return this.orders.findPendingIdsPlacedBefore(new Date(Date.now() - this.expiryMs), limit);
  }

  private async restock(order: Order): Promise<void> {
    const items = [...order.items].sort((a, b) => (a.product.id < b.product.id ? -1 : 1));
    for (const item of items) await this.products.releaseStock(item.product.id, item.quantity);
  }
}
