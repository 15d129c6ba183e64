import { Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { canAccessCustomer, isAdmin, visibleCustomerIds } from '../../auth/ownership.js';
import type { Page, PageRequest } from '../../pagination/page.js';
import type { Customer, CustomerView } from './customer.entity.js';
import { changeCurrentVersion, type RowLock } from '../../database/current-version.js';
import { translateFlushErrors } from '../../database/flush.js';
import {
  CustomerChanged,
  CustomerEmailIsTheLogin,
  CustomerEmailTaken,
  CustomerStillReferenced,
  CustomerNotFound,
} from './customer.errors.js';
import { CustomersRepository } from './customers.repository.js';

export interface NewCustomer {
  name: string;
  email: string;
  phone?: string | null;
}

export type CustomerChanges = Partial<NewCustomer>;

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomersRepository) {}

  /** Admins page through every customer; a customer's list holds only their own record. */
  list(actor: Actor, request: PageRequest): Promise<Page<Customer>> {
    return this.customers.findPage(request, visibleCustomerIds(actor));
  }

  /** The GET: the same rules as `get`, the record as data (no entity, no unit of work). */
  async read(actor: Actor, id: string): Promise<CustomerView> {
    const customer = canAccessCustomer(actor, id) ? await this.customers.findViewById(id) : null;
    if (!customer) throw new CustomerNotFound(id);
    return customer;
  }

  /** Someone else's record is reported as not found, exactly like a missing one. */
  async get(actor: Actor, id: string, lock?: RowLock): Promise<Customer> {
    const customer = canAccessCustomer(actor, id) ? await this.customers.findById(id, lock) : null;
    if (!customer) throw new CustomerNotFound(id);
    return customer;
  }

  /** Creating records for others is an admin's job (the controller admits admins only). */
  async create(input: NewCustomer): Promise<Customer> {
    if (await this.customers.isEmailTaken(input.email)) throw new CustomerEmailTaken();
    const customer = this.customers.create({
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
    });
    await this.save();
    return customer;
  }

  /**
   * `expectedVersion` is the version the caller read (If-Match); a stale one changes nothing.
   * Only an admin changes an email; on a customer account's record that moves the account's login
   * too (the `email_moves_account_login` trigger on the customer entity).
   */
  update(
    actor: Actor,
    id: string,
    changes: CustomerChanges,
    expectedVersion?: number,
  ): Promise<Customer> {
    return this.changeCurrentVersion(actor, id, expectedVersion, async (customer) => {
      if (!isAdmin(actor) && changes.email !== undefined && changes.email !== customer.email) {
        throw new CustomerEmailIsTheLogin();
      }
      const emailChanges =
        changes.email !== undefined && changes.email.toLowerCase() !== customer.email.toLowerCase();
      if (emailChanges && (await this.customers.isEmailTaken(changes.email!, id))) {
        throw new CustomerEmailTaken();
      }
      this.customers.assign(customer, changes);
      await this.save(id);
      return customer;
    });
  }

  remove(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    return this.changeCurrentVersion(actor, id, expectedVersion, async (customer) => {
      this.customers.getEntityManager().remove(customer);
      await this.save(id);
    });
  }

  private changeCurrentVersion<R>(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    change: (customer: Customer) => Promise<R>,
  ): Promise<R> {
    return changeCurrentVersion(
      this.customers.getEntityManager(),
      (lock) => this.get(actor, id, lock),
      expectedVersion,
      () => new CustomerChanged(id),
      change,
    );
  }

  /**
   * The pre-check above is for a clear answer; the unique index settles races between requests,
   * the row lock (current-version.ts) orders two writers of one record, and the foreign keys of
   * other domains (orders, ...) keep a customer their rows still refer to.
   */
  private save(id?: string): Promise<void> {
    return translateFlushErrors(this.customers.getEntityManager(), {
      unique: () => new CustomerEmailTaken(),
      ...(id && {
        stale: () => new CustomerChanged(id),
        stillReferenced: (by) => new CustomerStillReferenced(id, by),
      }),
    });
  }
}
