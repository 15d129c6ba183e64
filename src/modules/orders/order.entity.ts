import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { moneyCheck, moneyColumn } from '../../database/money.js';
import { Customer } from '../customers/customer.entity.js';
import { OrderItem } from './order-item.entity.js';
import { OrdersRepository } from './orders.repository.js';

export const ORDER_STATUSES = ['pending', 'confirmed', 'cancelled', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * `orders.customer_id`'s foreign key, named here so that the schema and the service agree on it: an
 * order is placed without reading its customer first, and this constraint's refusal means the
 * customer does not exist (OrdersService). `test/migrations.e2e-spec.ts` checks the migrations.
 */
export const ORDER_CUSTOMER_FOREIGN_KEY = 'orders_customer_id_foreign';

const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'orders',
  repository: () => OrdersRepository,
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    customer: () =>
      p.manyToOne(Customer).deleteRule('restrict').foreignKeyName(ORDER_CUSTOMER_FOREIGN_KEY),
    status: p.enum(ORDER_STATUSES).default('pending'),
    items: () => p.oneToMany(OrderItem).mappedBy('order'),
    totalCents: moneyColumn(),
    currency: p.string().length(3),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [
    { name: 'orders_created_at_id_idx', properties: ['createdAt', 'id'] },
    { name: 'orders_customer_created_at_id_idx', properties: ['customer', 'createdAt', 'id'] },
    { name: 'orders_status_created_at_idx', properties: ['status', 'createdAt'] },
  ],
  checks: [{ name: 'orders_total_cents_money', expression: moneyCheck('total_cents') }],
});

export class Order extends OrderSchema.class {}
OrderSchema.setClass(Order);
