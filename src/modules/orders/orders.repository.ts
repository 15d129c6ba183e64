import { EntityRepository, type FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';
import type { Order, OrderStatus } from './order.entity.js';

export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  /** Only orders of these customers (what a non-admin may see); undefined: every customer. */
  visibleCustomerIds?: string[];
}

/** Named queries on orders; the rules live in the service. */
export class OrdersRepository extends EntityRepository<Order> {
  findById(id: string): Promise<Order | null> {
    return this.findOne({ id }, { populate: ['items'] });
  }

  /**
   * The order, row-locked until the transaction ends: every status change (confirm, cancel,
   * expire) goes through this lock, so no two of them restock or confirm the same order twice.
   */
  async lockById(id: string): Promise<Order | null> {
    const order = await this.findOne({ id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (order) await this.em.populate(order, ['items']);
    return order;
  }

  /** Oldest first; `id` breaks ties between orders placed in the same millisecond. */
  async findPage(request: PageRequest, filter: OrderFilter): Promise<Page<Order>> {
    const where: FilterQuery<Order> = {};
    if (filter.visibleCustomerIds) where.customer = { $in: filter.visibleCustomerIds };
    if (filter.customerId) where.customer = filter.customerId;
    if (filter.status) where.status = filter.status;
    const page = await findPage(
      this.em,
      this.entityName,
      request,
      { createdAt: 'asc', id: 'asc' },
      where,
      { connectionType: 'read' },
    );
    // Items from a replica too: an order's items commit with it, so any server that has the
    // order has them (decision 0200).
    await this.em.populate(page.items, ['items'], { connectionType: 'read' });
    return page;
  }

  /** Ids of orders still pending that were placed before `placedBefore`. */
  async findPendingIdsPlacedBefore(placedBefore: Date, limit: number): Promise<string[]> {
    const orders = await this.find(
      { status: 'pending', createdAt: { $lt: placedBefore } },
      { fields: ['id'], limit, orderBy: { createdAt: 'asc' } },
    );
    return orders.map((order) => order.id);
  }
}
