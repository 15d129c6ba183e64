import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { Product } from './product.entity.js';

export const DEMO_PRODUCTS = [
  { sku: 'DEMO-MUG-BLUE', name: 'Blue mug', priceCents: 1250, stock: 120 },
  { sku: 'DEMO-MUG-RED', name: 'Red mug', priceCents: 1250, stock: 80 },
  { sku: 'DEMO-TEE-S', name: 'Keel T-shirt, small', priceCents: 2400, stock: 40 },
  { sku: 'DEMO-TEE-M', name: 'Keel T-shirt, medium', priceCents: 2400, stock: 60 },
  { sku: 'DEMO-TEE-L', name: 'Keel T-shirt, large', priceCents: 2400, stock: 30 },
  { sku: 'DEMO-STICKERS', name: 'Sticker pack', priceCents: 499, stock: 500 },
  { sku: 'DEMO-NOTEBOOK', name: 'Dotted notebook', priceCents: 1599, stock: 75 },
  { sku: 'DEMO-POSTER', name: 'Architecture poster', priceCents: 1999, stock: 5 },
] as const;

/** Demo catalogue in EUR; a product whose sku exists is left alone. */
export class ProductsSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const existing = await em.find(
      Product,
      { sku: { $in: DEMO_PRODUCTS.map((product) => product.sku) } },
      { fields: ['sku'] },
    );
    const taken = new Set(existing.map((product) => product.sku));
    for (const product of DEMO_PRODUCTS) {
      if (!taken.has(product.sku)) {
        em.create(Product, { ...product, currency: 'EUR', description: null, active: true });
      }
    }
  }
}
