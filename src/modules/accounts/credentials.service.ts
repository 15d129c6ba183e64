import { Injectable } from '@nestjs/common';
import type { User } from './user.entity.js';
import { AccountsService } from './accounts.service.js';
import { AccessTokens, type IssuedToken } from '../../auth/access-tokens.js';
import type { Actor } from '../../auth/actor.js';
import { InvalidCredentials } from './account.errors.js';
import { PasswordHasher } from '../../auth/password-hasher.js';
import { checkPasswordPolicy } from '../../auth/password-policy.js';

export interface Registration {
  email: string;
  password: string;
  name: string;
}

export const actorOf = (user: User): Actor => ({
  userId: user.id,
  role: user.role,
  customerId: user.customer?.id ?? null,
});

@Injectable()
export class CredentialsService {
  /** Compared against when the email is unknown, so both paths cost one scrypt (no enumeration by timing). */
  private readonly unknownUserHash: Promise<string>;

  constructor(
    private readonly users: AccountsService,
    private readonly tokens: AccessTokens,
    private readonly hasher: PasswordHasher,
  ) {
    this.unknownUserHash = hasher.hash('keel-unknown-user-placeholder');
  }

  async register(input: Registration): Promise<User> {
    checkPasswordPolicy(input.password, input.email);
    return this.users.registerCustomer({
      email: input.email,
      name: input.name,
      passwordHash: await this.hasher.hash(input.password),
    });
  }

  async login(email: string, password: string): Promise<IssuedToken> {
    const user = await this.users.findByEmail(email);
    const matches = await this.hasher.verify(
      password,
      user?.passwordHash ?? (await this.unknownUserHash),
    );
    if (!user || !matches) throw new InvalidCredentials();
    return this.tokens.issue(actorOf(user));
  }
}
