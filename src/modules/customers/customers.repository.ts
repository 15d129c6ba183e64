import { EntityRepository, raw } from '@mikro-orm/postgresql';
import type { Customer } from './customer.entity.js';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';

/** Named queries on customers; the rules live in the service. */
export class CustomersRepository extends EntityRepository<Customer> {
  findById(id: string): Promise<Customer | null> {
    return this.findOne({ id });
  }

  /** Emails are unique whatever their letter case (the `lower(email)` unique index). */
  async isEmailTaken(email: string, exceptId?: string): Promise<boolean> {
    const found = await this.findOne(
      {
        [raw('lower(email)')]: email.toLowerCase(),
        ...(exceptId ? { id: { $ne: exceptId } } : {}),
      },
      { fields: ['id'] },
    );
    return found !== null;
  }

  /**
   * Oldest first; `id` breaks ties between rows created in the same millisecond. `onlyIds`
   * narrows the page to those customers (ownership); undefined means all of them.
   */
  findPage(request: PageRequest, onlyIds?: string[]): Promise<Page<Customer>> {
    const where = onlyIds === undefined ? {} : { id: { $in: onlyIds } };
    return findPage(this.em, this.entityName, request, { createdAt: 'asc', id: 'asc' }, where);
  }
}
