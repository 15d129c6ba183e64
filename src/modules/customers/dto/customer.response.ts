import type { Customer, CustomerView } from '../customer.entity.js';

/** What clients see of a customer: explicit, so a new column never leaks by accident. */
export class CustomerResponse {
  id!: string;
  name!: string;
  email!: string;
  phone!: string | null;
  createdAt!: string;
  updatedAt!: string;
  version!: number;

  /** From a read's view or the entity a write just flushed. */
  static from(this: void, customer: CustomerView | Customer): CustomerResponse {
    return {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone ?? null,
      createdAt: customer.createdAt.toISOString(),
      updatedAt: customer.updatedAt.toISOString(),
      version: customer.version,
    };
  }
}
