import { jest } from '@jest/globals';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../auth/actor.js';
import type { Customer } from './customer.entity.js';
import {
  CustomerEmailIsTheLogin,
  CustomerEmailTaken,
  CustomerNotFound,
  CustomerStillReferenced,
} from './customer.errors.js';
import type { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';

/** An in-memory stand-in for the repository: enough to exercise the service's rules. */
function fakeRepository(existing: Partial<Customer>[] = []) {
  const rows = existing.map((row) => ({ ...row }) as Customer);
  let flushError: Error | undefined;
  const em = {
    flush: jest.fn(() => (flushError ? Promise.reject(flushError) : Promise.resolve())),
    remove: jest.fn(() => em),
    transactional: jest.fn(<T>(work: () => Promise<T>) => work()),
  };
  const repository = {
    findPage: jest.fn((_request: unknown, onlyIds?: string[]) =>
      Promise.resolve({
        items: rows.filter((row) => onlyIds === undefined || onlyIds.includes(row.id)),
        nextCursor: null,
      }),
    ),
    findById: jest.fn((id: string) => Promise.resolve(rows.find((row) => row.id === id) ?? null)),
    findViewById: jest.fn((id: string) =>
      Promise.resolve(rows.find((row) => row.id === id) ?? null),
    ),
    isEmailTaken: jest.fn((email: string, exceptId?: string) =>
      Promise.resolve(
        rows.some((row) => row.email.toLowerCase() === email.toLowerCase() && row.id !== exceptId),
      ),
    ),
    create: jest.fn((data: Partial<Customer>) => ({ id: 'new', ...data }) as Customer),
    assign: jest.fn((customer: Customer, changes: Partial<Customer>) =>
      Object.assign(customer, changes),
    ),
    getEntityManager: () => em,
  };
  return {
    repository: repository as unknown as CustomersRepository,
    em,
    failNextFlushWith: (error: Error) => (flushError = error),
  };
}

const admin: Actor = { userId: 'u-admin', role: 'admin', customerId: null };
const adaAccount: Actor = { userId: 'u-ada', role: 'customer', customerId: 'a' };

describe('CustomersService', () => {
  const ada = { id: 'a', name: 'Ada', email: 'ada@example.com', phone: null };

  it('creates a customer whose email is free', async () => {
    const { repository, em } = fakeRepository();
    const customer = await new CustomersService(repository).create({
      name: 'Ada',
      email: 'ada@example.com',
    });
    expect(customer).toMatchObject({ name: 'Ada', email: 'ada@example.com', phone: null });
    expect(em.flush).toHaveBeenCalledTimes(1);
  });

  it('refuses an email taken in another letter case', async () => {
    const { repository, em } = fakeRepository([ada]);
    await expect(
      new CustomersService(repository).create({ name: 'Eve', email: 'ADA@example.com' }),
    ).rejects.toBeInstanceOf(CustomerEmailTaken);
    expect(em.flush).not.toHaveBeenCalled();
  });

  it('turns a unique violation lost in a race into CustomerEmailTaken', async () => {
    const fake = fakeRepository();
    fake.failNextFlushWith(new UniqueConstraintViolationException(new Error('duplicate key')));
    await expect(
      new CustomersService(fake.repository).create({ name: 'Ada', email: 'ada@example.com' }),
    ).rejects.toBeInstanceOf(CustomerEmailTaken);
  });

  it('lets other database errors through untouched', async () => {
    const fake = fakeRepository();
    const failure = new Error('connection lost');
    fake.failNextFlushWith(failure);
    await expect(
      new CustomersService(fake.repository).create({ name: 'Ada', email: 'ada@example.com' }),
    ).rejects.toBe(failure);
  });

  it('turns a restrict violation on delete into CustomerStillReferenced', async () => {
    const fake = fakeRepository([{ id: 'a', name: 'Ada', email: 'ada@example.com', phone: null }]);
    const restricted = Object.assign(new Error('violates foreign key'), {
      code: '23001',
      table: 'line_items',
    });
    fake.failNextFlushWith(new DriverException(restricted));
    await expect(new CustomersService(fake.repository).remove(admin, 'a')).rejects.toThrow(
      new CustomerStillReferenced('a', 'line items'),
    );
  });

  it('throws CustomerNotFound for an unknown id', async () => {
    const { repository } = fakeRepository();
    await expect(new CustomersService(repository).get(admin, 'missing')).rejects.toBeInstanceOf(
      CustomerNotFound,
    );
    await expect(
      new CustomersService(repository).update(admin, 'missing', { name: 'X' }),
    ).rejects.toBeInstanceOf(CustomerNotFound);
    await expect(new CustomersService(repository).remove(admin, 'missing')).rejects.toBeInstanceOf(
      CustomerNotFound,
    );
  });

  it('lets an admin change the letter case of an email without a lookup', async () => {
    const { repository } = fakeRepository([ada]);
    const customer = await new CustomersService(repository).update(admin, 'a', {
      email: 'Ada@Example.com',
    });
    expect(customer.email).toBe('Ada@Example.com');
    expect(repository.isEmailTaken).not.toHaveBeenCalled();
  });

  it('refuses to move a customer onto another customer’s email', async () => {
    const { repository } = fakeRepository([
      ada,
      { id: 'b', name: 'Bob', email: 'bob@example.com', phone: null },
    ]);
    await expect(
      new CustomersService(repository).update(admin, 'b', { email: 'ADA@example.com' }),
    ).rejects.toBeInstanceOf(CustomerEmailTaken);
  });

  describe('ownership', () => {
    const bob = { id: 'b', name: 'Bob', email: 'bob@example.com', phone: null };

    it('lets a customer read and change their own record', async () => {
      const service = new CustomersService(fakeRepository([ada, bob]).repository);
      await expect(service.get(adaAccount, 'a')).resolves.toMatchObject({ id: 'a' });
      await expect(service.update(adaAccount, 'a', { name: 'Ada L.' })).resolves.toMatchObject({
        name: 'Ada L.',
      });
    });

    it('refuses a customer changing their email, before looking at who has the address', async () => {
      const { repository } = fakeRepository([ada, bob]);
      const service = new CustomersService(repository);
      for (const email of ['bob@example.com', 'free@example.com', 'ADA@example.com']) {
        await expect(
          service.update(adaAccount, 'a', { email, name: 'Ada L.' }),
        ).rejects.toBeInstanceOf(CustomerEmailIsTheLogin);
      }
      expect(repository.isEmailTaken).not.toHaveBeenCalled();
      await expect(service.get(adaAccount, 'a')).resolves.toMatchObject({
        name: 'Ada',
        email: 'ada@example.com',
      });
    });

    it('lets a customer send their email back unchanged', async () => {
      const service = new CustomersService(fakeRepository([ada]).repository);
      await expect(
        service.update(adaAccount, 'a', { email: 'ada@example.com', name: 'Ada L.' }),
      ).resolves.toMatchObject({ email: 'ada@example.com', name: 'Ada L.' });
    });

    it('lets an admin change a customer’s email', async () => {
      const service = new CustomersService(fakeRepository([ada, bob]).repository);
      await expect(service.update(admin, 'a', { email: 'ada@new.example' })).resolves.toMatchObject(
        { email: 'ada@new.example' },
      );
    });

    it('answers not found for another customer’s record, without looking it up', async () => {
      const { repository } = fakeRepository([ada, bob]);
      const service = new CustomersService(repository);
      await expect(service.get(adaAccount, 'b')).rejects.toBeInstanceOf(CustomerNotFound);
      await expect(service.update(adaAccount, 'b', { name: 'X' })).rejects.toBeInstanceOf(
        CustomerNotFound,
      );
      await expect(service.remove(adaAccount, 'b')).rejects.toBeInstanceOf(CustomerNotFound);
      expect(repository.findById).not.toHaveBeenCalled();
    });

    it('reads a record as data by the same rules: own or admin, else not found unlooked', async () => {
      const { repository } = fakeRepository([ada, bob]);
      const service = new CustomersService(repository);
      await expect(service.read(adaAccount, 'a')).resolves.toMatchObject({ id: 'a' });
      await expect(service.read(admin, 'b')).resolves.toMatchObject({ id: 'b' });
      await expect(service.read(admin, 'missing')).rejects.toBeInstanceOf(CustomerNotFound);
      expect(repository.findViewById).toHaveBeenCalledTimes(3);
      await expect(service.read(adaAccount, 'b')).rejects.toBeInstanceOf(CustomerNotFound);
      expect(repository.findViewById).toHaveBeenCalledTimes(3);
    });

    it('lists only the customer’s own record, and every record for an admin', async () => {
      const service = new CustomersService(fakeRepository([ada, bob]).repository);
      const own = await service.list(adaAccount, { limit: 20 });
      expect(own.items.map((customer) => customer.id)).toEqual(['a']);
      const all = await service.list(admin, { limit: 20 });
      expect(all.items.map((customer) => customer.id)).toEqual(['a', 'b']);
    });
  });
});
