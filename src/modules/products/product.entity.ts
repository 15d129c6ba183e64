import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { ProductsRepository } from './products.repository.js';

const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'products',
  repository: () => ProductsRepository,
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    sku: p.string().length(64).unique('products_sku_unique'),
    name: p.string().length(200),
    description: p.text().nullable(),
    priceCents: p.integer(),
    /** ISO 4217, upper case. */
    currency: p.string().length(3),
    stock: p.integer(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [
    { name: 'products_created_at_id_idx', properties: ['createdAt', 'id'] },
    { name: 'products_price_cents_id_idx', properties: ['priceCents', 'id'] },
    { name: 'products_name_id_idx', properties: ['name', 'id'] },
  ],
  // The last line of defence against overselling: whatever a query does, stock never goes below 0.
  checks: [
    { name: 'products_stock_non_negative', expression: 'stock >= 0' },
    { name: 'products_price_cents_non_negative', expression: 'price_cents >= 0' },
  ],
});

export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);
