import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import type { DomainParts } from '../../database/domain-parts.js';
import { Customer } from './customer.entity.js';
import { CustomersController } from './customers.controller.js';
import { CustomersSeeder } from './customers.seeder.js';
import { CustomersService } from './customers.service.js';

const entities = [Customer];

@Module({
  imports: [MikroOrmModule.forFeature(entities)],
  controllers: [CustomersController],
  providers: [CustomersService],
  exports: [CustomersService],
})
export class CustomersModule {
  static readonly parts: DomainParts = { entities, seeder: CustomersSeeder };
}
