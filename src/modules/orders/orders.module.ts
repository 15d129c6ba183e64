import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { DomainParts } from '../../database/domain-parts.js';
import { JobsModule } from '../../jobs/jobs.module.js';
import { RetentionModule } from '../../retention/retention.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { ProductsModule } from '../products/products.module.js';
import { CustomerOrdersController } from './customer-orders.controller.js';
import { IdempotencyKeyRetention } from './idempotency-key-retention.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { OrderItem } from './order-item.entity.js';
import { Order } from './order.entity.js';
import { OrderJobs } from './order-jobs.js';
import { OrdersController } from './orders.controller.js';
import { ordersConfig } from './orders.config.js';
import { OrdersSeeder } from './orders.seeder.js';
import { OrdersService } from './orders.service.js';

const entities = [Order, OrderItem, IdempotencyKey];

@Module({
  imports: [
    MikroOrmModule.forFeature(entities),
    ConfigModule.forFeature(ordersConfig),
    CustomersModule,
    ProductsModule,
    JobsModule,
    RetentionModule,
  ],
  controllers: [OrdersController, CustomerOrdersController],
  providers: [OrdersService, IdempotencyKeys, IdempotencyKeyRetention, OrderJobs],
  exports: [OrdersService],
})
export class OrdersModule {
  static readonly parts: DomainParts = { entities, seeder: OrdersSeeder };
}
