import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import type { DomainParts } from '../../database/domain-parts.js';
import { Product } from './product.entity.js';
import { ProductsController } from './products.controller.js';
import { ProductsSeeder } from './products.seeder.js';
import { ProductsService } from './products.service.js';

const entities = [Product];

@Module({
  imports: [MikroOrmModule.forFeature(entities)],
  controllers: [ProductsController],
  providers: [ProductsService],
  exports: [ProductsService],
})
export class ProductsModule {
  static readonly parts: DomainParts = { entities, seeder: ProductsSeeder };
}
