import { EntityRepository, raw } from '@mikro-orm/postgresql';
import type { RowLock } from '../../database/current-version.js';
import type { Customer, CustomerView } from './customer.entity.js';
import { findPage } from '../../pagination/find-page.js';
import type { Page, PageRequest } from '../../pagination/page.js';

interface CustomerRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

const SELECT_VIEW_BY_ID =
  'select id, name, email, phone, created_at, updated_at, version from customers where id = ?';

/** Named queries on customers; the rules live in the service. */
export class CustomersRepository extends EntityRepository<Customer> {
  /** With `lock` (current-version.ts), the row stays locked until the transaction ends. */
  findById(id: string, lock?: RowLock): Promise<Customer | null> {
    return this.findOne({ id }, lock);
  }

  /**
   * One customer as data, for reads that change nothing: straight from the connection, so no
   * request fork, identity map or entity hydration (docs/decisions/0111-reads-without-entities.md).
   * Dates are parsed as MikroORM parses them (`new Date(text)`), so the answer is the same.
   */
  async findViewById(id: string): Promise<CustomerView | null> {
    // On the primary: the item read is what a client reads its ETag from before an If-Match
    // write, so it stays off replicas (decision 0200); lists may lag, this does not.
    const rows = await this.em
      .getConnection('write')
      .execute<CustomerRow[]>(SELECT_VIEW_BY_ID, [id], 'all');
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      version: row.version,
    };
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
