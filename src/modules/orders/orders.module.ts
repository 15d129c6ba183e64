import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module.js';
import { Customer } from '../customers/customer.entity.js';
import { Product } from '../products/product.entity.js';
import { CustomerOrdersController } from './customer-orders.controller.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { Order } from './order.entity.js';
import { OrderJobs } from './order-jobs.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Order, Product, Customer]), JobsModule],
  controllers: [OrdersController, CustomerOrdersController],
  providers: [OrdersService, IdempotencyKeys, OrderJobs],
  exports: [OrdersService],
})
export class OrdersModule {}
