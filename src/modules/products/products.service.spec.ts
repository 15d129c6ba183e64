import { jest } from '@jest/globals';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../auth/actor.js';
import { FOR_UPDATE } from '../../database/current-version.js';
import type { Product } from './product.entity.js';
import { ProductChanged, ProductNotFound, ProductSkuTaken } from './product.errors.js';
import type { ProductsRepository } from './products.repository.js';
import { ProductsService } from './products.service.js';

/** An in-memory stand-in for the repository: enough to exercise the service's rules. */
function fakeRepository(existing: Partial<Product>[] = []) {
  const rows = existing.map((row) => ({ ...row }) as Product);
  let flushError: Error | undefined;
  const em = {
    flush: jest.fn(() => (flushError ? Promise.reject(flushError) : Promise.resolve())),
    remove: jest.fn(() => em),
    transactional: jest.fn(<T>(work: () => Promise<T>) => work()),
  };
  const repository = {
    findById: jest.fn((id: string) => Promise.resolve(rows.find((row) => row.id === id) ?? null)),
    findCatalogueItem: jest.fn((id: string) =>
      Promise.resolve(rows.find((row) => row.id === id) ?? null),
    ),
    findPage: jest.fn((_request: unknown, filter: { active?: boolean }) =>
      Promise.resolve({
        items: rows.filter((row) => filter.active === undefined || row.active === filter.active),
        nextCursor: null,
      }),
    ),
    isSkuTaken: jest.fn((sku: string, exceptId?: string) =>
      Promise.resolve(rows.some((row) => row.sku === sku && row.id !== exceptId)),
    ),
    create: jest.fn((data: Partial<Product>) => ({ id: 'new', version: 1, ...data }) as Product),
    assign: jest.fn((product: Product, changes: Partial<Product>) =>
      Object.assign(product, changes),
    ),
    getEntityManager: () => em,
  };
  return {
    service: new ProductsService(repository as unknown as ProductsRepository),
    repository,
    em,
    failNextFlushWith: (error: Error) => (flushError = error),
  };
}

describe('ProductsService', () => {
  const mug = { id: 'm', sku: 'MUG', name: 'Mug', priceCents: 100, currency: 'EUR', version: 3 };
  const input = { sku: 'NEW', name: 'New', priceCents: 5, currency: 'eur', stock: 1 };

  it('creates a product with an upper-case currency, active by default', async () => {
    const { service, em } = fakeRepository();
    expect(await service.create(input)).toMatchObject({ currency: 'EUR', active: true });
    expect(em.flush).toHaveBeenCalledTimes(1);
  });

  it('refuses a taken sku before and after the flush', async () => {
    await expect(fakeRepository([mug]).service.create({ ...input, sku: 'MUG' })).rejects.toThrow(
      ProductSkuTaken,
    );
    const racing = fakeRepository();
    racing.failNextFlushWith(new UniqueConstraintViolationException(new Error('duplicate')));
    await expect(racing.service.create(input)).rejects.toThrow(ProductSkuTaken);
  });

  it('refuses a stale expected version without writing', async () => {
    const { service, em } = fakeRepository([mug]);
    await expect(service.update('m', { name: 'X' }, 2)).rejects.toThrow(ProductChanged);
    await expect(service.remove('m', 2)).rejects.toThrow(ProductChanged);
    expect(em.flush).not.toHaveBeenCalled();
  });

  it('applies a change at the current version, read locked in a transaction', async () => {
    const { service, em, repository } = fakeRepository([mug]);
    expect(await service.update('m', { priceCents: 90 }, 3)).toMatchObject({ priceCents: 90 });
    expect(await service.update('m', { priceCents: 80 })).toMatchObject({ priceCents: 80 });
    expect(em.transactional).toHaveBeenCalledTimes(2);
    expect(repository.findById).toHaveBeenCalledWith('m', FOR_UPDATE);
  });

  it('turns a lost optimistic-lock race into ProductChanged', async () => {
    const fake = fakeRepository([mug]);
    fake.failNextFlushWith(OptimisticLockError.lockFailed('products'));
    await expect(fake.service.update('m', { name: 'Late' })).rejects.toThrow(ProductChanged);
  });

  describe('drafts (inactive products)', () => {
    const draft = { ...mug, id: 'd', sku: 'DRAFT', active: false };
    const live = { ...mug, active: true };
    const admin: Actor = { userId: 'a', role: 'admin', customerId: null };
    const customer: Actor = { userId: 'c', role: 'customer', customerId: 'c1' };
    const page = { limit: 20 };
    const sort = { field: 'createdAt', direction: 'asc' } as const;
    const ids = (products: Product[]) => products.map((product) => product.id);

    it.each([
      ['an anonymous caller', undefined],
      ['a customer', customer],
    ])('are left out of lists and searches for %s', async (_, viewer) => {
      const { service, repository } = fakeRepository([draft, live]);
      expect(ids((await service.list(viewer, page, {}, sort)).items)).toEqual(['m']);
      expect(ids((await service.list(viewer, page, { q: 'Mug' }, sort)).items)).toEqual(['m']);
      expect((await service.list(viewer, page, { active: false }, sort)).items).toEqual([]);
      expect(repository.findPage).not.toHaveBeenCalledWith(page, { active: false }, sort);
      await expect(service.read(viewer, 'd')).rejects.toThrow(ProductNotFound);
      expect((await service.read(viewer, 'm')).id).toBe('m');
    });

    it('are listed, searched and read by an admin', async () => {
      const { service } = fakeRepository([draft, live]);
      expect(ids((await service.list(admin, page, {}, sort)).items)).toEqual(['d', 'm']);
      expect(ids((await service.list(admin, page, { active: false }, sort)).items)).toEqual(['d']);
      expect((await service.read(admin, 'd')).id).toBe('d');
    });
  });

  it('throws ProductNotFound for an unknown id', async () => {
    await expect(fakeRepository().service.get('nope')).rejects.toThrow(ProductNotFound);
  });
});
