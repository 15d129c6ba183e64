import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { ExternalIdentity } from '../../auth/oidc/external-accounts.js';
import { Injectable } from '@nestjs/common';
import { translateFlushErrors } from '../../database/flush.js';
import type { Page, PageRequest } from '../../pagination/page.js';
import type { Role } from '../../auth/roles.js';
import { CustomerEmailTaken } from '../customers/customer.errors.js';
import { CustomersService } from '../customers/customers.service.js';
import type { User } from './user.entity.js';
import { UserEmailTaken, UserNotFound } from './account.errors.js';
import { keepAnActiveAdmin, mayRemoveAnAdmin } from './last-admin.js';
import { UsersRepository } from './users.repository.js';
import { type AccountState, RevocationNotices } from './sessions/revocation-notices.js';
import { SessionsService } from './sessions/sessions.service.js';

export interface NewCustomerAccount {
  email: string;
  passwordHash: string;
  name: string;
}

/** What an admin may change of an account; what is left out stays. */
export interface AccountUpdate {
  role?: Role;
  disabled?: boolean;
}

const stateOf = (user: User): AccountState => ({
  userId: user.id,
  role: user.role,
  status: user.disabled ? 'disabled' : 'active',
});

/**
 * Accounts and what changes them. Each change that matters to tokens already issued (role,
 * disabled, deleted, password, sign-out) commits with its revocation notice, so every instance
 * refuses those tokens at once (docs/decisions/0161-revocation-at-once.md).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersRepository,
    private readonly customers: CustomersService,
    private readonly sessions: SessionsService,
    private readonly notices: RevocationNotices,
  ) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFound();
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  list(request: PageRequest, email?: string): Promise<Page<User>> {
    return this.users.findPage(request, email);
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

  /** An admin changes an account's role or disables it; its tokens follow at once. */
  update(id: string, change: AccountUpdate): Promise<User> {
    return this.em.transactional(async (em) => {
      const user = await this.get(id);
      const after = { role: change.role ?? user.role, disabled: change.disabled ?? user.disabled };
      if (after.role === user.role && after.disabled === user.disabled) return user;
      if (mayRemoveAnAdmin(user, after)) {
        keepAnActiveAdmin(id, user, after, await this.users.lockActiveAdminIds(em));
      }
      const disabling = after.disabled && !user.disabled;
      user.role = after.role;
      user.disabled = after.disabled;
      await em.flush();
      // A disabled account cannot refresh either: its sessions end, not only its tokens.
      if (disabling) await this.sessions.endAllOf(em, id);
      await this.notices.accountChanged(em, stateOf(user));
      return user;
    });
  }

  /** Deletes the account (its sessions go with it); its customer record, orders included, stays. */
  async remove(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const user = await this.get(id);
      if (mayRemoveAnAdmin(user)) {
        keepAnActiveAdmin(id, user, undefined, await this.users.lockActiveAdminIds(em));
      }
      em.remove(user);
      await em.flush();
      await this.notices.accountChanged(em, { userId: id, role: null, status: 'deleted' });
    });
  }

  /** A new password hash; every session but `keep` (the caller's) ends. */
  async setPassword(id: string, passwordHash: string, keep?: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const user = await this.get(id);
      user.passwordHash = passwordHash;
      await em.flush();
      await this.sessions.endAllOf(em, id, keep);
      await this.notices.accountChanged(em, stateOf(user), { signOut: true });
    });
  }

  /** Logout everywhere: every session of the account ends, tokens without one too. */
  async signOutEverywhere(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const user = await this.get(id);
      await this.sessions.endAllOf(em, id);
      await this.notices.accountChanged(em, stateOf(user), { signOut: true });
    });
  }
}

/** No scrypt hash matches it (PasswordHasher refuses its format): an OIDC account has no password. */
const NO_PASSWORD = '!';
