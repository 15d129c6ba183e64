import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { Customer } from '../customers/customer.entity.js';
import { Product } from '../products/product.entity.js';
import { OrderItem } from './order-item.entity.js';
import { Order, type OrderStatus } from './order.entity.js';

/** Fixed ids make the seed idempotent: an order that exists is never placed twice. */
const DEMO_ORDERS: {
  id: string;
  /** A demo customer of the customers seeder, by email. */
  customer: string;
  status: OrderStatus;
  items: [sku: string, quantity: number][];
}[] = [
  {
    id: '01900000-0000-7000-8000-000000000001',
    customer: 'ada.lovelace.001@demo.keel.dev',
    status: 'confirmed',
    items: [
      ['DEMO-MUG-BLUE', 2],
      ['DEMO-STICKERS', 1],
    ],
  },
  {
    id: '01900000-0000-7000-8000-000000000002',
    customer: 'grace.lovelace.002@demo.keel.dev',
    status: 'confirmed',
    items: [['DEMO-TEE-M', 1]],
  },
  {
    id: '01900000-0000-7000-8000-000000000003',
    customer: 'alan.lovelace.003@demo.keel.dev',
    status: 'cancelled',
    items: [['DEMO-NOTEBOOK', 3]],
  },
];

/**
 * A few past orders of the demo customers. Confirmed ones took their stock; cancelled ones gave it
 * back. No jobs are needed: none of them is pending.
 */
export class OrdersSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const existing = await em.find(
      Order,
      { id: { $in: DEMO_ORDERS.map((order) => order.id) } },
      { fields: ['id'] },
    );
    const placed = new Set(existing.map((order) => order.id));
    for (const demo of DEMO_ORDERS.filter((order) => !placed.has(order.id))) {
      const customer = await em.findOne(Customer, { email: demo.customer });
      const products = await em.find(Product, { sku: { $in: demo.items.map(([sku]) => sku) } });
      if (!customer || products.length !== demo.items.length) continue;
      const lines = demo.items.map(([sku, quantity]) => ({
        product: products.find((product) => product.sku === sku)!,
        quantity,
      }));
      const order = em.create(Order, {
        id: demo.id,
        customer,
        status: demo.status,
        currency: 'EUR',
        totalCents: lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0),
      });
      for (const line of lines) {
        em.create(OrderItem, {
          order,
          product: line.product,
          quantity: line.quantity,
          unitPriceCents: line.product.priceCents,
        });
        if (demo.status === 'confirmed') line.product.stock -= line.quantity;
      }
    }
  }
}
