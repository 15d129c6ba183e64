import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { Customer } from '../../modules/customers/customer.entity.js';

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken'];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Thompson',
];
export const DEMO_CUSTOMER_COUNT = 40;

export function demoCustomer(index: number): { name: string; email: string; phone: string } {
  const first = FIRST_NAMES[index % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length];
  const number = String(index + 1).padStart(3, '0');
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}.${number}@demo.keel.dev`.toLowerCase(),
    phone: `+1 555 0${number}`,
  };
}

export class CustomersSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const wanted = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, i) => demoCustomer(i));
    const existing = await em.find(
      Customer,
      { email: { $in: wanted.map((c) => c.email) } },
      { fields: ['email'] },
    );
    const taken = new Set(existing.map((customer) => customer.email));
    for (const customer of wanted) {
      if (!taken.has(customer.email)) em.create(Customer, customer);
    }
  }
}
