import { EntityRepository, raw } from '@mikro-orm/postgresql';
import type { RowLock } from '../../database/current-version.js';
import { findViewById } from '../../database/entity-view.js';
import type { Customer, CustomerView } from './customer.entity.js';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';

/** Named queries on customers; the rules live in the service. */
export class CustomersRepository extends EntityRepository<Customer> {
  /** With `lock` (current-version.ts), the row stays locked until the transaction ends. */
  findById(id: string, lock?: RowLock): Promise<Customer | null> {
    return this.findOne({ id }, lock);
  }

  /** One customer as data, for reads that change nothing (database/entity-view.ts). */
  findViewById(id: string): Promise<CustomerView | null> {
    return findViewById(this.em, this.entityName, id);
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
    // A list may lag: a replica serves it when one fits (decision 0200).
    return findPage(this.em, this.entityName, request, { createdAt: 'asc', id: 'asc' }, where, {
      connectionType: 'read',
    });
  }
}
