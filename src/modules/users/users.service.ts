import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { CustomersRepository } from '../customers/customers.repository.js';
import type { User } from './user.entity.js';
import { UserEmailTaken, UserNotFound } from './user.errors.js';
import { UsersRepository } from './users.repository.js';

export interface NewCustomerAccount {
  email: string;
  passwordHash: string;
  name: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly customers: CustomersRepository,
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
   * A customer account and the customer record it owns, in one transaction. An email already on
   * a customer record counts as taken: registering must not take over a record someone else made.
   */
  async registerCustomer(input: NewCustomerAccount): Promise<User> {
    if (
      (await this.users.findByEmail(input.email)) ||
      (await this.customers.isEmailTaken(input.email))
    ) {
      throw new UserEmailTaken();
    }
    const customer = this.customers.create({ name: input.name, email: input.email, phone: null });
    const user = this.users.create({
      email: input.email,
      passwordHash: input.passwordHash,
      role: 'customer',
      customer,
    });
    try {
      await this.users.getEntityManager().flush();
    } catch (error) {
      // The pre-check gives a clear answer; the unique indexes settle races between requests.
      if (error instanceof UniqueConstraintViolationException) throw new UserEmailTaken();
      throw error;
    }
    return user;
  }
}
