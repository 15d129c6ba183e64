import { jest } from '@jest/globals';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerEmailTaken } from '../customers/customer.errors.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { User } from './user.entity.js';
import { UserEmailTaken } from './account.errors.js';
import type { UsersRepository } from './users.repository.js';
import { AccountsService } from './accounts.service.js';
import type { RevocationNotices } from './sessions/revocation-notices.js';
import type { SessionsService } from './sessions/sessions.service.js';

/** In-memory stand-ins: accounts by email, and CustomersService with its own email rule. */
function fakes(existing: { users?: string[]; customers?: string[] } = {}) {
  const userEmails = (existing.users ?? []).map((email) => email.toLowerCase());
  const customerEmails = (existing.customers ?? []).map((email) => email.toLowerCase());
  let flushError: Error | undefined;
  const flush = jest.fn(() => (flushError ? Promise.reject(flushError) : Promise.resolve()));
  const em = {
    flush,
    transactional: jest.fn(<T>(work: (em: { flush: typeof flush }) => Promise<T>) =>
      work({ flush }),
    ),
  };
  const users = {
    findByEmail: jest.fn((email: string) =>
      Promise.resolve(
        userEmails.includes(email.toLowerCase()) ? ({ id: 'u', email } as User) : null,
      ),
    ),
    create: jest.fn((data: Record<string, unknown>) => ({ id: 'new-user', ...data }) as User),
  };
  const customers = {
    create: jest.fn((data: { name: string; email: string }) =>
      customerEmails.includes(data.email.toLowerCase())
        ? Promise.reject(new CustomerEmailTaken())
        : Promise.resolve({ id: 'new-customer', ...data }),
    ),
  };
  const service = new AccountsService(
    em as unknown as EntityManager,
    users as unknown as UsersRepository,
    customers as unknown as CustomersService,
    {} as SessionsService,
    {} as RevocationNotices,
  );
  return { service, em, customers, failNextFlushWith: (error: Error) => (flushError = error) };
}

const account = { email: 'ada@example.com', passwordHash: 'scrypt$...', name: 'Ada' };

describe('AccountsService.registerCustomer', () => {
  it('creates a customer account linked to a record made by CustomersService, in one transaction', async () => {
    const { service, em, customers } = fakes();
    const user = await service.registerCustomer(account);
    expect(user).toMatchObject({
      email: 'ada@example.com',
      role: 'customer',
      passwordHash: 'scrypt$...',
      customer: { id: 'new-customer', name: 'Ada', email: 'ada@example.com' },
    });
    expect(customers.create).toHaveBeenCalledWith({
      name: 'Ada',
      email: 'ada@example.com',
      phone: null,
    });
    expect(em.transactional).toHaveBeenCalledTimes(1);
    expect(em.flush).toHaveBeenCalledTimes(1);
  });

  it('refuses an email another account has, in any letter case, before creating anything', async () => {
    const { service, customers } = fakes({ users: ['ADA@example.com'] });
    await expect(service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
    expect(customers.create).not.toHaveBeenCalled();
  });

  it('refuses an email that CustomersService says a customer record has', async () => {
    const { service, em } = fakes({ customers: ['ada@example.com'] });
    await expect(service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
    expect(em.flush).not.toHaveBeenCalled();
  });

  it('turns a unique violation lost in a race into UserEmailTaken', async () => {
    const fake = fakes();
    fake.failNextFlushWith(new UniqueConstraintViolationException(new Error('duplicate key')));
    await expect(fake.service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
  });
});
