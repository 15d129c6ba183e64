import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export interface Account {
  userId: string;
  email: string;
  password: string;
  customerId: string | null;
  token: string;
  /** Headers to send as this account. */
  headers: Record<string, string>;
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

export const uniqueEmail = (): string => `user-${randomUUID()}@example.com`;

async function login(api: TestApp, email: string, password: string): Promise<string> {
  const reply = await api.request<{ accessToken: string }>('POST', '/api/v1/auth/login', {
    email,
    password,
  });
  if (reply.status !== 200) throw new Error(`login as ${email} answered ${reply.status}`);
  return reply.body.accessToken;
}

async function accountOf(api: TestApp, email: string, password: string): Promise<Account> {
  const token = await login(api, email, password);
  const me = await api.request<{ id: string; customerId: string | null }>(
    'GET',
    '/api/v1/users/me',
    undefined,
    bearer(token),
  );
  return {
    userId: me.body.id,
    email,
    password,
    customerId: me.body.customerId,
    token,
    headers: bearer(token),
  };
}

/** The admin that the app under test created at start from ADMIN_EMAIL/ADMIN_PASSWORD (jest.config.js). */
export function loginAsAdmin(api: TestApp): Promise<Account> {
  return accountOf(api, process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
}

/** A new customer account, registered the way a client would, and logged in. */
export async function registerCustomer(api: TestApp, name = 'Test Customer'): Promise<Account> {
  const email = uniqueEmail();
  const password = `pw-${randomUUID()}`;
  const reply = await api.request('POST', '/api/v1/auth/register', { email, password, name });
  if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${reply.text}`);
  return accountOf(api, email, password);
}

/**
 * The same app, with every request sent as the test admin unless the call passes its own
 * `authorization` header: for suites about the domain rules, not about who may call them
 * (those live in auth.e2e-spec.ts, catalog-and-orders-access.e2e-spec.ts and the ownership cases of
 * customers.e2e-spec.ts and orders.e2e-spec.ts).
 */
export async function actingAsAdmin(api: TestApp): Promise<TestApp> {
  const admin = await loginAsAdmin(api);
  return {
    ...api,
    request: (method, path, body, headers = {}) =>
      api.request(method, path, body, { ...admin.headers, ...headers }),
  };
}
