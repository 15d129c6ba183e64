import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { moneyCheck, moneyColumn } from '../../database/money.js';
import { ProductsRepository } from './products.repository.js';

/** Column lengths in characters; the request DTOs check the same numbers (CharLength). */
export const PRODUCT_TEXT_LIMITS = { sku: 64, name: 200, currency: 3 } as const;

/** The trigram index that serves name search; needs the `pg_trgm` extension (its migration). */
export const PRODUCT_NAME_SEARCH_INDEX = 'products_name_trgm_idx';
export const PRODUCT_NAME_SEARCH_INDEX_DDL = `create index "${PRODUCT_NAME_SEARCH_INDEX}" on "products" using gin ("name" gin_trgm_ops) with (fastupdate = off)`;

const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'products',
  repository: () => ProductsRepository,
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    sku: p.string().length(PRODUCT_TEXT_LIMITS.sku).unique('products_sku_unique'),
    name: p.string().length(PRODUCT_TEXT_LIMITS.name),
    description: p.text().nullable(),
    priceCents: moneyColumn(),
    /** ISO 4217, upper case. */
    currency: p.string().length(PRODUCT_TEXT_LIMITS.currency),
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
    // `q` is a substring match (`ilike '%q%'`), which no b-tree serves: trigrams do, for any
    // pattern of 3 characters or more. MikroORM has no operator-class option, so the index is raw
    // DDL, compared by name only (docs/decisions/0150-catalogue-search-and-drafts.md). No pending list:
    // every search would read it linearly until a vacuum (decision 0185).
    {
      name: PRODUCT_NAME_SEARCH_INDEX,
      expression: PRODUCT_NAME_SEARCH_INDEX_DDL,
    },
  ],
  // The last line of defence against overselling: whatever a query does, stock never goes below 0.
  checks: [
    { name: 'products_stock_non_negative', expression: 'stock >= 0' },
    { name: 'products_price_cents_money', expression: moneyCheck('price_cents') },
  ],
});

export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);
