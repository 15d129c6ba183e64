import { EntityRepository, raw } from '@mikro-orm/postgresql';
import type { User } from './user.entity.js';

/** Named queries on user accounts; the rules live in the services. */
export class UsersRepository extends EntityRepository<User> {
  findById(id: string): Promise<User | null> {
    return this.findOne({ id });
  }

  /** Emails are unique whatever their letter case (the `lower(email)` unique index). */
  findByEmail(email: string): Promise<User | null> {
    return this.findOne({ [raw('lower(email)')]: email.toLowerCase() });
  }

  /** The account the OpenID provider's (issuer, subject) is (the `users_oidc_identity_unique` index). */
  findByOidcIdentity(issuer: string, subject: string): Promise<User | null> {
    return this.findOne({ oidcIssuer: issuer, oidcSubject: subject });
  }
}
