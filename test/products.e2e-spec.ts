import { randomUUID } from 'node:crypto';
import { createProduct, type ProductBody, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { actingAsAdmin } from './support/auth.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface PageBody {
  items: ProductBody[];
  nextCursor: string | null;
}

describe('products API', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await actingAsAdmin(await startTestApp());
  });
  afterAll(() => api.close());

  describe('POST /api/v1/products', () => {
    it('creates a product with 201, Location and an ETag from its version', async () => {
      const sku = uniqueSku();
      const reply = await api.request<ProductBody>('POST', '/api/v1/products', {
        sku,
        name: 'Blue mug',
        description: 'Holds tea',
        priceCents: 1250,
        currency: 'eur',
        stock: 7,
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        sku,
        name: 'Blue mug',
        priceCents: 1250,
        currency: 'EUR',
        stock: 7,
        active: true,
        version: 1,
      });
      expect(reply.headers.get('location')).toBe(`/api/v1/products/${reply.body.id}`);
      expect(reply.headers.get('etag')).toBe('"1"');
    });

    it('refuses a duplicate sku with 409', async () => {
      const product = await createProduct(api);
      expectProblem(
        await api.request('POST', '/api/v1/products', {
          sku: product.sku,
          name: 'Copy',
          priceCents: 1,
          currency: 'EUR',
          stock: 1,
        }),
        409,
      );
    });

    it.each([
      ['a negative price', { priceCents: -1 }, 'priceCents'],
      ['a negative stock', { stock: -5 }, 'stock'],
      ['a bad currency', { currency: 'EURO' }, 'currency'],
      ['a fractional stock', { stock: 1.5 }, 'stock'],
    ])('refuses %s with 400 naming the field', async (_, override, field) => {
      const problem = expectProblem(
        await api.request('POST', '/api/v1/products', {
          sku: uniqueSku(),
          name: 'Bad',
          priceCents: 100,
          currency: 'EUR',
          stock: 1,
          ...override,
        }),
        400,
      );
      expect(problem.errors!.map((error) => error.field)).toEqual([field]);
    });
  });

  describe('GET /api/v1/products/:id', () => {
    it('answers 304 to If-None-Match with the current ETag, 200 with an old one', async () => {
      const product = await createProduct(api);
      const path = `/api/v1/products/${product.id}`;
      const first = await api.request('GET', path);
      expect(first.headers.get('etag')).toBe('"1"');
      const cached = await api.request('GET', path, undefined, { 'if-none-match': '"1"' });
      expect(cached.status).toBe(304);
      expect(cached.text).toBe('');
      await api.request('PATCH', path, { name: 'Renamed' });
      const changed = await api.request<ProductBody>('GET', path, undefined, {
        'if-none-match': '"1"',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.name).toBe('Renamed');
      expect(changed.headers.get('etag')).toBe('"2"');
    });

    it('answers 404 to an unknown id and 400 to a malformed one', async () => {
      expectProblem(await api.request('GET', `/api/v1/products/${randomUUID()}`), 404);
      expectProblem(await api.request('GET', '/api/v1/products/nope'), 400);
    });
  });

  describe('PATCH and DELETE with If-Match', () => {
    it('applies a PATCH whose If-Match is current and refuses a stale one with 412', async () => {
      const product = await createProduct(api);
      const path = `/api/v1/products/${product.id}`;
      const fresh = await api.request<ProductBody>(
        'PATCH',
        path,
        { priceCents: 900 },
        {
          'if-match': '"1"',
        },
      );
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({ priceCents: 900, version: 2 });
      expect(fresh.headers.get('etag')).toBe('"2"');
      const stale = await api.request('PATCH', path, { priceCents: 1 }, { 'if-match': '"1"' });
      expectProblem(stale, 412);
      expect((await api.request<ProductBody>('GET', path)).body.priceCents).toBe(900);
    });

    it('refuses a DELETE with a stale If-Match with 412 and keeps the product', async () => {
      const product = await createProduct(api);
      const path = `/api/v1/products/${product.id}`;
      await api.request('PATCH', path, { name: 'v2' });
      expectProblem(await api.request('DELETE', path, undefined, { 'if-match': '"1"' }), 412);
      expect((await api.request('GET', path)).status).toBe(200);
      expect((await api.request('DELETE', path, undefined, { 'if-match': '"2"' })).status).toBe(
        204,
      );
      expectProblem(await api.request('GET', path), 404);
    });

    it('lets exactly one of ten concurrent PATCHes of the same version win', async () => {
      const product = await createProduct(api);
      const path = `/api/v1/products/${product.id}`;
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.request<ProductBody>('PATCH', path, { name: `writer ${i}` }, { 'if-match': '"1"' }),
        ),
      );
      const winners = replies.filter((reply) => reply.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of replies.filter((reply) => reply.status !== 200)) {
        expectProblem(loser, 412);
      }
      const final = await api.request<ProductBody>('GET', path);
      expect(final.body).toMatchObject({ name: winners[0].body.name, version: 2 });
    });
  });

  describe('GET /api/v1/products', () => {
    const page = (query: string) => api.request<PageBody>('GET', `/api/v1/products${query}`);
    const tag = `filter-${randomUUID().slice(0, 8)}`;
    let made: ProductBody[];

    beforeAll(async () => {
      made = [];
      // Equal prices on purpose: the id must break the ties for the keyset to be total.
      for (const [i, price] of [300, 100, 200, 100, 300, 100, 500].entries()) {
        made.push(
          await createProduct(api, {
            name: `${tag} item ${String.fromCharCode(70 - i)}`,
            priceCents: price,
            active: i !== 6,
          }),
        );
      }
    });

    const walk = async (query: string): Promise<ProductBody[]> => {
      const seen: ProductBody[] = [];
      let cursor: string | null = null;
      do {
        const reply: Awaited<ReturnType<typeof page>> = await page(
          `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status).toBe(200);
        seen.push(...reply.body.items);
        cursor = reply.body.nextCursor;
      } while (cursor);
      return seen;
    };

    it('filters by name (any case), active and price range', async () => {
      const items = await walk(
        `?q=${tag.toUpperCase()}&active=true&minPriceCents=100&maxPriceCents=200`,
      );
      expect(items.map((item) => item.priceCents).sort()).toEqual([100, 100, 100, 200]);
      expect(items.every((item) => item.active)).toBe(true);
    });

    it.each([
      [
        'priceCents',
        (a: ProductBody, b: ProductBody) => a.priceCents - b.priceCents || cmp(a.id, b.id),
      ],
      [
        '-priceCents',
        (a: ProductBody, b: ProductBody) => b.priceCents - a.priceCents || cmp(b.id, a.id),
      ],
      ['name', (a: ProductBody, b: ProductBody) => cmp(a.name, b.name) || cmp(a.id, b.id)],
      [
        '-createdAt',
        (a: ProductBody, b: ProductBody) => cmp(b.createdAt, a.createdAt) || cmp(b.id, a.id),
      ],
    ])('pages through sort=%s in order, each product once', async (sort, order) => {
      const items = await walk(`?q=${tag}&sort=${sort}`);
      expect(items).toHaveLength(made.length);
      expect(items.map((item) => item.id)).toEqual([...made].sort(order).map((item) => item.id));
    });

    it.each([
      ['an unknown sort field', '?sort=stock'],
      ['a bad active flag', '?active=yes'],
      ['a negative price bound', '?minPriceCents=-1'],
      ['a non-numeric price bound', '?maxPriceCents=cheap'],
      [
        'a cursor of another sort',
        `?sort=priceCents&cursor=${Buffer.from(JSON.stringify(['x', randomUUID()])).toString('base64url')}`,
      ],
    ])('refuses %s with 400', async (_, query) => {
      expectProblem(await page(query), 400);
    });
  });
});

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
