import type { Product } from '../product.entity.js';

/** What clients see of a product: explicit, so a new column never leaks by accident. */
export class ProductResponse {
  id!: string;
  sku!: string;
  name!: string;
  description!: string | null;
  priceCents!: number;
  currency!: string;
  stock!: number;
  active!: boolean;
  createdAt!: string;
  updatedAt!: string;
  version!: number;

  static from(this: void, product: Product): ProductResponse {
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description ?? null,
      priceCents: product.priceCents,
      currency: product.currency,
      stock: product.stock,
      active: product.active,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
      version: product.version,
    };
  }
}
