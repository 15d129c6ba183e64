import { EntityRepository, type FilterQuery, type QueryOrderMap } from '@mikro-orm/postgresql';
import type { RowLock } from '../../database/current-version.js';
import type { Product } from './product.entity.js';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';

export const PRODUCT_SORT_FIELDS = ['priceCents', 'name', 'createdAt'] as const;
export type ProductSortField = (typeof PRODUCT_SORT_FIELDS)[number];

export interface ProductFilter {
  q?: string;
  active?: boolean;
  minPriceCents?: number;
  maxPriceCents?: number;
}

export interface ProductSort {
  field: ProductSortField;
  direction: 'asc' | 'desc';
}

/** What a stock reservation saw when it took the units. */
export interface TakenStock {
  id: string;
  priceCents: number;
  currency: string;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Named queries on products; the rules live in the service. */
export class ProductsRepository extends EntityRepository<Product> {
  /** With `lock` (current-version.ts), the row stays locked until the transaction ends. */
  findById(id: string, lock?: RowLock): Promise<Product | null> {
    return this.findOne({ id }, lock);
  }

  /** A catalogue read (GET /products/:id): a replica serves it when one fits (decision 0200). */
  findCatalogueItem(id: string): Promise<Product | null> {
    return this.findOne({ id }, { connectionType: 'read' });
  }

  async isSkuTaken(sku: string, exceptId?: string): Promise<boolean> {
    const found = await this.findOne(
      { sku, ...(exceptId ? { id: { $ne: exceptId } } : {}) },
      { fields: ['id'] },
    );
    return found !== null;
  }

  /** Any sort the API allows; `id` in the same direction makes the order total for the keyset. */
  findPage(request: PageRequest, filter: ProductFilter, sort: ProductSort): Promise<Page<Product>> {
    const where: FilterQuery<Product> = {};
    if (filter.q) where.name = { $ilike: `%${escapeLike(filter.q)}%` };
    if (filter.active !== undefined) where.active = filter.active;
    if (filter.minPriceCents !== undefined || filter.maxPriceCents !== undefined) {
      where.priceCents = {
        ...(filter.minPriceCents !== undefined ? { $gte: filter.minPriceCents } : {}),
        ...(filter.maxPriceCents !== undefined ? { $lte: filter.maxPriceCents } : {}),
      };
    }
    const orderBy = { [sort.field]: sort.direction, id: sort.direction } as QueryOrderMap<Product>;
    // The catalogue may lag: a replica serves it when one fits (decision 0200).
    return findPage(this.em, this.entityName, request, orderBy, where, { connectionType: 'read' });
  }

  /**
   * Takes `quantity` units in one conditional statement: PostgreSQL re-checks `stock >= quantity`
   * on the row it locks, so concurrent orders can never take more than there is. Null when the
   * product is missing, inactive or short.
   */
  async takeStock(id: string, quantity: number): Promise<TakenStock | null> {
    // pg returns bigint as text; money columns are checked to stay exact as a number.
    const rows = await this.em.execute<{ id: string; price_cents: string; currency: string }[]>(
      `update "products" set "stock" = "stock" - ?, "version" = "version" + 1, "updated_at" = now()
       where "id" = ? and "active" and "stock" >= ?
       returning "id", "price_cents", "currency"`,
      [quantity, id, quantity],
    );
    const row = rows[0];
    return row ? { id: row.id, priceCents: Number(row.price_cents), currency: row.currency } : null;
  }

  /** Puts units back (a cancelled or expired order); the product may have been deactivated since. */
  async returnStock(id: string, quantity: number): Promise<void> {
    await this.em.execute(
      `update "products" set "stock" = "stock" + ?, "version" = "version" + 1, "updated_at" = now()
       where "id" = ?`,
      [quantity, id],
    );
  }
}
