import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { CustomersRepository } from './customers.repository.js';

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
    name: p.string().length(200),
    email: p.string().length(320),
    phone: p.string().length(32).nullable(),
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
