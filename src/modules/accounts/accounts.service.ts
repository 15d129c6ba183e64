import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { ExternalIdentity } from '../../auth/oidc/external-accounts.js';
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

  /**
   * The account of someone the team's OpenID provider vouches for (OIDC mode, decision 0166),
   * created on first sight; acting as a customer, it gets its customer record as registration
   * would. Keel keeps none of the provider's profile: the account's and record's email is a
   * placeholder under `.invalid` (RFC 2606) that no mail reaches and no other account has.
   */
  async findOrCreateByOidcIdentity(identity: ExternalIdentity): Promise<User> {
    const { issuer, subject } = identity;
    const existing = await this.users.findByOidcIdentity(issuer, subject);
    if (existing && (identity.role !== 'customer' || existing.customer)) return existing;
    try {
      return await this.em.transactional(async (em) => {
        const email = existing?.email ?? `oidc-${uuidv7()}@keel.invalid`;
        const customer =
          identity.role === 'customer'
            ? await this.customers.create({ name: identity.name, email, phone: null })
            : null;
        const user =
          (existing && (await this.users.findByOidcIdentity(issuer, subject))) ??
          this.users.create({
            email,
            passwordHash: NO_PASSWORD,
            role: identity.role,
            customer,
            oidcIssuer: issuer,
            oidcSubject: subject,
          });
        user.customer = customer;
        await em.flush();
        return user;
      });
    } catch (error) {
      // Another request or instance linked the same identity first: theirs is the account.
      const winner = await this.users.findByOidcIdentity(issuer, subject);
      if (error instanceof UniqueConstraintViolationException && winner) return winner;
      throw error;
    }
  }
}

/** No scrypt hash matches it (PasswordHasher refuses its format): an OIDC account has no password. */
const NO_PASSWORD = '!';
