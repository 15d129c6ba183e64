import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { EntityView } from '../../database/entity-view.js';
import { CustomersRepository } from './customers.repository.js';

/** Column lengths in characters; the request DTOs check the same numbers (CharLength). */
export const CUSTOMER_TEXT_LIMITS = { name: 200, email: 320, phone: 32 } as const;

const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  repository: () => CustomersRepository,
  properties: {
    // UUIDv7: generated here, time-ordered, so inserts stay at the right edge of the index.
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    name: p.string().length(CUSTOMER_TEXT_LIMITS.name),
    email: p.string().length(CUSTOMER_TEXT_LIMITS.email),
    phone: p.string().length(CUSTOMER_TEXT_LIMITS.phone).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ name: 'customers_created_at_id_idx', properties: ['createdAt', 'id'] }],
  uniques: [
    {
      name: 'customers_email_lower_unique',
      expression:
        'create unique index "customers_email_lower_unique" on "customers" (lower("email"))',
    },
  ],
  triggers: [
    {
      // A customer account logs in with its record's email: whoever changes the record's email
      // (an admin, a seeder, a future job) moves the login with it, in the same statement, and the
      // users' unique index refuses an address another account has
      // (docs/decisions/0056-account-email-is-its-record-email.md).
      name: 'email_moves_account_login',
      timing: 'after',
      events: ['update'],
      // The condition sits in the body, not in `when`: PostgreSQL rewrites a `when` clause, and the
      // migration generator would then see a change on every run.
      body: `if new.email is distinct from old.email then
  update users set email = new.email, updated_at = now(), version = version + 1 where customer_id = new.id;
end if;
return null`,
    },
  ],
});

export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);

/** A customer's data without the entity: what reads that change nothing return. */
export type CustomerView = EntityView<Customer>;
