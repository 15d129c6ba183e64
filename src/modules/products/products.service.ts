import { Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { isAdmin } from '../../auth/ownership.js';
import { changeCurrentVersion, type RowLock } from '../../database/current-version.js';
import { translateFlushErrors } from '../../database/flush.js';
import type { Page, PageRequest } from '../../pagination/page.js';
import type { Product } from './product.entity.js';
import {
  ProductChanged,
  ProductInUse,
  ProductNotFound,
  ProductSkuTaken,
} from './product.errors.js';
import {
  type ProductFilter,
  type ProductSort,
  ProductsRepository,
  type TakenStock,
} from './products.repository.js';

/** What the stock of one product gave an order: its id, price and currency at that moment. */
export type { TakenStock };

export interface NewProduct {
  sku: string;
  name: string;
  description?: string | null;
  priceCents: number;
  currency: string;
  stock: number;
  active?: boolean;
}

export type ProductChanges = Partial<NewProduct>;

@Injectable()
export class ProductsService {
  constructor(private readonly products: ProductsRepository) {}

  /**
   * The catalogue as `viewer` may see it: inactive (draft) products only for admins; anyone else
   * asking for them gets none. `undefined` is an anonymous caller.
   */
  async list(
    viewer: Actor | undefined,
    request: PageRequest,
    filter: ProductFilter,
    sort: ProductSort,
  ): Promise<Page<Product>> {
    const seesDrafts = viewer !== undefined && isAdmin(viewer);
    if (!seesDrafts && filter.active === false) return { items: [], nextCursor: null };
    return this.products.findPage(request, seesDrafts ? filter : { ...filter, active: true }, sort);
  }

  /** One product as `viewer` may see it: a draft is not found but by an admin. */
  async read(viewer: Actor | undefined, id: string): Promise<Product> {
    const product = await this.products.findCatalogueItem(id);
    if (!product) throw new ProductNotFound(id);
    if (!product.active && !(viewer !== undefined && isAdmin(viewer))) {
      throw new ProductNotFound(id);
    }
    return product;
  }

  async get(id: string, lock?: RowLock): Promise<Product> {
    const product = await this.products.findById(id, lock);
    if (!product) throw new ProductNotFound(id);
    return product;
  }

  /** The products with these ids that exist, active or not; for another domain's rules. */
  findByIds(ids: string[]): Promise<Product[]> {
    return this.products.find({ id: { $in: ids } });
  }

  /**
   * Takes `quantity` units of an active product in the caller's transaction, or nothing: null when
   * the product is missing, inactive or short. Callers taking several products take them in id
   * order, so two of them never deadlock.
   */
  reserveStock(id: string, quantity: number): Promise<TakenStock | null> {
    return this.products.takeStock(id, quantity);
  }

  /** Puts reserved units back (a cancelled or expired order), in the caller's transaction. */
  releaseStock(id: string, quantity: number): Promise<void> {
    return this.products.returnStock(id, quantity);
  }

  async create(input: NewProduct): Promise<Product> {
    if (await this.products.isSkuTaken(input.sku)) throw new ProductSkuTaken();
    const product = this.products.create({
      sku: input.sku,
      name: input.name,
      description: input.description ?? null,
      priceCents: input.priceCents,
      currency: input.currency.toUpperCase(),
      stock: input.stock,
      active: input.active ?? true,
    });
    await this.save(product.id);
    return product;
  }

  /** `expectedVersion` is the version the caller read (If-Match); a stale one changes nothing. */
  update(id: string, changes: ProductChanges, expectedVersion?: number): Promise<Product> {
    return this.changeCurrentVersion(id, expectedVersion, async (product) => {
      if (changes.sku !== undefined && changes.sku !== product.sku) {
        if (await this.products.isSkuTaken(changes.sku, id)) throw new ProductSkuTaken();
      }
      this.products.assign(product, {
        ...changes,
        ...(changes.currency ? { currency: changes.currency.toUpperCase() } : {}),
      });
      await this.save(id);
      return product;
    });
  }

  remove(id: string, expectedVersion?: number): Promise<void> {
    return this.changeCurrentVersion(id, expectedVersion, async (product) => {
      this.products.getEntityManager().remove(product);
      await this.save(id);
    });
  }

  private changeCurrentVersion<R>(
    id: string,
    expectedVersion: number | undefined,
    change: (product: Product) => Promise<R>,
  ): Promise<R> {
    return changeCurrentVersion(
      this.products.getEntityManager(),
      (lock) => this.get(id, lock),
      expectedVersion,
      () => new ProductChanged(id),
      change,
    );
  }

  /** The unique index settles a sku race; the foreign keys keep a product that orders reference. */
  private save(id: string): Promise<void> {
    return translateFlushErrors(this.products.getEntityManager(), {
      unique: () => new ProductSkuTaken(),
      stale: () => new ProductChanged(id),
      stillReferenced: () => new ProductInUse(id),
    });
  }
}
