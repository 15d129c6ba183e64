import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
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
});

export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);
