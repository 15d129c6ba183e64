import { jest } from '@jest/globals';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { CustomersRepository } from '../customers/customers.repository.js';
import type { User } from './user.entity.js';
import { UserEmailTaken } from './user.errors.js';
import type { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** In-memory stand-ins for both repositories, sharing one unit of work. */
function fakes(existing: { users?: string[]; customers?: string[] } = {}) {
  const userEmails = (existing.users ?? []).map((email) => email.toLowerCase());
  const customerEmails = (existing.customers ?? []).map((email) => email.toLowerCase());
  let flushError: Error | undefined;
  const em = {
    flush: jest.fn(() => (flushError ? Promise.reject(flushError) : Promise.resolve())),
  };
  const users = {
    findByEmail: jest.fn((email: string) =>
      Promise.resolve(
        userEmails.includes(email.toLowerCase()) ? ({ id: 'u', email } as User) : null,
      ),
    ),
    create: jest.fn((data: Record<string, unknown>) => ({ id: 'new-user', ...data }) as User),
    getEntityManager: () => em,
  };
  const customers = {
    isEmailTaken: jest.fn((email: string) =>
      Promise.resolve(customerEmails.includes(email.toLowerCase())),
    ),
    create: jest.fn((data: Record<string, unknown>) => ({ id: 'new-customer', ...data })),
  };
  const service = new UsersService(
    users as unknown as UsersRepository,
    customers as unknown as CustomersRepository,
  );
  return { service, em, failNextFlushWith: (error: Error) => (flushError = error) };
}

const account = { email: 'ada@example.com', passwordHash: 'scrypt$...', name: 'Ada' };

describe('UsersService.registerCustomer', () => {
  it('creates a customer account linked to a new customer record, in one flush', async () => {
    const { service, em } = fakes();
    const user = await service.registerCustomer(account);
    expect(user).toMatchObject({
      email: 'ada@example.com',
      role: 'customer',
      passwordHash: 'scrypt$...',
      customer: { id: 'new-customer', name: 'Ada', email: 'ada@example.com' },
    });
    expect(em.flush).toHaveBeenCalledTimes(1);
  });

  it('refuses an email another account has, in any letter case', async () => {
    const { service, em } = fakes({ users: ['ADA@example.com'] });
    await expect(service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
    expect(em.flush).not.toHaveBeenCalled();
  });

  it('refuses an email that an existing customer record has', async () => {
    const { service } = fakes({ customers: ['ada@example.com'] });
    await expect(service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
  });

  it('turns a unique violation lost in a race into UserEmailTaken', async () => {
    const fake = fakes();
    fake.failNextFlushWith(new UniqueConstraintViolationException(new Error('duplicate key')));
    await expect(fake.service.registerCustomer(account)).rejects.toBeInstanceOf(UserEmailTaken);
  });
});
