import { type EntityManager, EntityRepository, raw } from '@mikro-orm/postgresql';
import type { User } from './user.entity.js';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';

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

  /** Oldest first, `id` breaking ties; `email` narrows to that account, whatever its letter case. */
  findPage(request: PageRequest, email?: string): Promise<Page<User>> {
    const where = email === undefined ? {} : { [raw('lower(email)')]: email.toLowerCase() };
    return findPage(this.em, this.entityName, request, { createdAt: 'asc', id: 'asc' }, where);
  }

  /**
   * The active admins' ids, their rows locked until the transaction ends (`em` is the
   * transactional manager). Concurrent callers queue here, in one order (by id), and each then sees
   * what the one before committed: PostgreSQL re-checks the condition on rows it waited for.
   */
  async lockActiveAdminIds(em: EntityManager): Promise<string[]> {
    const rows = await em
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from users where role = 'admin' and disabled = false order by id for update`,
        [],
        'all',
        em.getTransactionContext(),
      );
    return rows.map((row) => row.id);
  }
}
