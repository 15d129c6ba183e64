import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { moneyCheck, moneyColumn } from '../../database/money.js';
import { Product } from '../products/product.entity.js';
import { Order } from './order.entity.js';

const OrderItemSchema = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    order: () => p.manyToOne(Order).deleteRule('cascade'),
    product: () => p.manyToOne(Product).deleteRule('restrict'),
    quantity: p.integer(),
    /** The price when the order was placed; later price changes do not touch past orders. */
    unitPriceCents: moneyColumn(),
  },
  indexes: [
    { name: 'order_items_order_id_idx', properties: ['order'] },
    { name: 'order_items_product_id_idx', properties: ['product'] },
  ],
  checks: [
    { name: 'order_items_quantity_positive', expression: 'quantity >= 1' },
    { name: 'order_items_unit_price_cents_money', expression: moneyCheck('unit_price_cents') },
  ],
});

export class OrderItem extends OrderItemSchema.class {}
OrderItemSchema.setClass(OrderItem);
