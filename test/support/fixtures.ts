import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export interface ProductBody {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  stock: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface OrderBody {
  id: string;
  customerId: string;
  status: 'pending' | 'confirmed' | 'cancelled' | 'expired';
  items: { productId: string; quantity: number; unitPriceCents: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const uniqueSku = (): string => `SKU-${randomUUID()}`;

export async function createProduct(
  api: TestApp,
  overrides: Record<string, unknown> = {},
): Promise<ProductBody> {
  const reply = await api.request<ProductBody>('POST', '/api/v1/products', {
    sku: uniqueSku(),
    name: 'Widget',
    priceCents: 1000,
    currency: 'EUR',
    stock: 10,
    ...overrides,
  });
  if (reply.status !== 201) throw new Error(`product not created: ${reply.text}`);
  return reply.body;
}

export async function createCustomer(api: TestApp): Promise<string> {
  const reply = await api.request<{ id: string }>('POST', '/api/v1/customers', {
    name: 'Buyer',
    email: `buyer-${randomUUID()}@example.com`,
  });
  if (reply.status !== 201) throw new Error(`customer not created: ${reply.text}`);
  return reply.body.id;
}

export function placeOrder(
  api: TestApp,
  customerId: string,
  items: { productId: string; quantity: number }[],
  headers: Record<string, string> = {},
) {
  return api.request<OrderBody>('POST', '/api/v1/orders', { customerId, items }, headers);
}

export async function stockOf(api: TestApp, productId: string): Promise<number> {
  return (await api.request<ProductBody>('GET', `/api/v1/products/${productId}`)).body.stock;
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}
