import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { Customer } from './customers/customer.entity.js';
import { CustomersModule } from './customers/customers.module.js';
import { StatusController } from './status.controller.js';

@Module({
  imports: [
    MikroOrmModule.forRoot({
      driver: PostgreSqlDriver,
      clientUrl: process.env.DATABASE_URL,
      entities: [Customer],
      metadataProvider: ReflectMetadataProvider,
      pool: { max: Number(process.env.DB_POOL_MAX ?? 20) },
    }),
    AuthModule,
    CustomersModule,
  ],
  controllers: [StatusController],
})
export class AppModule {}
