import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { CustomersModule } from './modules/customers/customers.module.js';
import { UsersModule } from './modules/users/users.module.js';

@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    HttpModule,
    DatabaseModule,
    MetricsModule,
    AuthModule,
    HealthModule,
    CustomersModule,
    UsersModule,
  ],
})
export class AppModule {}
