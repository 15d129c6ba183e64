import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module.js';
import { ormConfig } from './orm.config.js';
import { requestEntityManager } from './request-context.hook.js';
import { boundStatementTime } from './statement-timeout.js';
import { replicaOptions } from './replicas/replica-options.js';

@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [ConfigService],
      useFactory: async (config: AppConfig) => {
        const url = config.get('DATABASE_URL', { infer: true })!;
        // Before the pool opens a session: each session takes the bound when it starts.
        await boundStatementTime(url, config.get('DB_STATEMENT_TIMEOUT_MS', { infer: true }));
        return {
          ...ormConfig({
            url,
            poolMax: config.get('DB_POOL_MAX', { infer: true }),
          }),
          ...replicaOptions(config.get('DATABASE_READ_URLS', { infer: true })),
          // The context is opened by request-context.hook.ts (http/request-pipeline.ts), after the body is parsed (mikro-orm/nestjs#47).
          registerRequestContext: false,
          // Each module registers its own entities (MikroOrmModule.forFeature): no central list.
          autoLoadEntities: true,
          context: requestEntityManager,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
