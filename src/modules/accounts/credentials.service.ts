import { Injectable } from '@nestjs/common';
import type { User } from './user.entity.js';
import { AccountsService } from './accounts.service.js';
import { AccessTokens, type IssuedToken } from '../../auth/access-tokens.js';
import type { Actor } from '../../auth/actor.js';
import {
  AccountDisabled,
  CurrentPasswordWrong,
  InvalidCredentials,
  UserNotFound,
} from './account.errors.js';
import { PasswordHasher } from '../../auth/password-hasher.js';
import { checkPasswordPolicy } from '../../auth/password-policy.js';
import { InvalidRefreshToken } from './sessions/session.errors.js';
import { SessionsService } from './sessions/sessions.service.js';

export interface Registration {
  email: string;
  password: string;
  name: string;
}

/** An access token and the refresh token of its session. */
export interface IssuedSession extends IssuedToken {
  refreshToken: string;
}

export const actorOf = (user: User, sessionId?: string): Actor => ({
  userId: user.id,
  role: user.role,
  customerId: user.customer?.id ?? null,
  ...(sessionId === undefined ? {} : { sessionId }),
});

@Injectable()
export class CredentialsService {
  /** Compared against when the email is unknown, so both paths cost one scrypt (no enumeration by timing). */
  private readonly unknownUserHash: Promise<string>;

  constructor(
    private readonly users: AccountsService,
    private readonly tokens: AccessTokens,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
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

  /** A new session (one per login, so one per device) and its first pair of tokens. */
  async login(email: string, password: string): Promise<IssuedSession> {
    const user = await this.users.findByEmail(email);
    const matches = await this.hasher.verify(
      password,
      user?.passwordHash ?? (await this.unknownUserHash),
    );
    if (!user || !matches) throw new InvalidCredentials();
    if (user.disabled) throw new AccountDisabled();
    const { sessionId, refreshToken } = await this.sessions.start(user.id);
    return { ...(await this.tokens.issue(actorOf(user, sessionId))), refreshToken };
  }

  /** The next pair for a refresh token, with the account's role as it is now. */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const rotated = await this.sessions.rotate(refreshToken);
    // Disabling or deleting an account ends its sessions in the same transaction: this is a race
    // with that change, settled the same way.
    const user = await this.users.get(rotated.userId).catch((error: unknown) => {
      if (error instanceof UserNotFound) return undefined;
      throw error;
    });
    if (!user || user.disabled) throw new InvalidRefreshToken();
    const issued = await this.tokens.issue(actorOf(user, rotated.sessionId));
    return { ...issued, refreshToken: rotated.refreshToken };
  }

  /** Needs the password in use; ends every other session of the account. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.get(actor.userId);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      throw new CurrentPasswordWrong();
    }
    checkPasswordPolicy(newPassword, user.email);
    await this.users.setPassword(user.id, await this.hasher.hash(newPassword), actor.sessionId);
  }
}
