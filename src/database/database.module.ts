import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module.js';
import { ormConfig } from './orm.config.js';
import { RequestContextHook } from './request-context.hook.js';

@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        ...ormConfig({
          url: config.get('DATABASE_URL', { infer: true }),
          poolMax: config.get('DB_POOL_MAX', { infer: true }),
        }),
        // The context is opened by RequestContextHook, after the body is parsed (mikro-orm/nestjs#47).
        registerRequestContext: false,
        // Each module registers its own entities (MikroOrmModule.forFeature): no central list.
        autoLoadEntities: true,
      }),
    }),
  ],
  providers: [RequestContextHook],
})
export class DatabaseModule {}
