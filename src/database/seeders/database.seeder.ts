import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { AdminSeeder } from './admin.seeder.js';
import { CustomersSeeder } from './customers.seeder.js';
import { OrdersSeeder } from './orders.seeder.js';
import { ProductsSeeder } from './products.seeder.js';

/** Demo data for every domain; each seeder leaves rows it already created alone. */
export class DatabaseSeeder extends Seeder {
  run(em: EntityManager): Promise<void> {
    return this.call(em, [AdminSeeder, CustomersSeeder, ProductsSeeder, OrdersSeeder]);
  }
}
