import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { translateFlushErrors } from '../../database/flush.js';
import { CustomerEmailTaken } from '../customers/customer.errors.js';
import { CustomersService } from '../customers/customers.service.js';
import type { User } from './user.entity.js';
import { UserEmailTaken, UserNotFound } from './account.errors.js';
import { UsersRepository } from './users.repository.js';

export interface NewCustomerAccount {
  email: string;
  passwordHash: string;
  name: string;
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersRepository,
    private readonly customers: CustomersService,
  ) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFound();
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  /**
   * A customer account and the customer record it owns, in one transaction. The record is made by
   * CustomersService, so its rules (an email already on a record is taken) hold for registration
   * too: registering must not take over a record someone else made.
   */
  async registerCustomer(input: NewCustomerAccount): Promise<User> {
    if (await this.users.findByEmail(input.email)) throw new UserEmailTaken();
    return this.em.transactional(async (em) => {
      const customer = await this.customers
        .create({ name: input.name, email: input.email, phone: null })
        .catch((error: unknown) => {
          throw error instanceof CustomerEmailTaken ? new UserEmailTaken() : error;
        });
      const user = this.users.create({
        email: input.email,
        passwordHash: input.passwordHash,
        role: 'customer',
        customer,
      });
      // The pre-check gives a clear answer; the unique indexes settle races between requests.
      await translateFlushErrors(em, { unique: () => new UserEmailTaken() });
      return user;
    });
  }
}
