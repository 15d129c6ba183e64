import { RateLimitCounter } from './auth/rate-limit/rate-limit-counter.entity.js';
import type { DomainModule, EntityList } from './database/domain-parts.js';
import type { Seeder } from '@mikro-orm/seeder';
import { AccountsModule } from './modules/accounts/accounts.module.js';
import { CustomersModule } from './modules/customers/customers.module.js';
import { OrdersModule } from './modules/orders/orders.module.js';
import { ProductsModule } from './modules/products/products.module.js';

/**
 * Every domain of the service, each a folder under src/modules. Adding a domain is one line here:
 * the app installs these modules, and migrations and the seed read their entities and seeders.
 * Seeders run in this order, so a domain comes after those its demo data refers to.
 */
export const DOMAINS: readonly DomainModule[] = [
  AccountsModule,
  CustomersModule,
  ProductsModule,
  OrdersModule,
];

/** Every entity, for the ORM outside Nest: the infrastructure's own, then each domain's. */
export const ENTITIES: EntityList = [
  RateLimitCounter,
  ...DOMAINS.flatMap((domain) => domain.parts.entities),
];

/** The demo data of every domain that has some; each seeder leaves rows it already made alone. */
export const SEEDERS: (new () => Seeder)[] = DOMAINS.flatMap((domain) =>
  domain.parts.seeder ? [domain.parts.seeder] : [],
);
