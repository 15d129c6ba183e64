import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { CustomersModule } from './modules/customers/customers.module.js';
import { UsersModule } from './modules/users/users.module.js';

@Module({
  imports: [
    ConfigModule,
    HttpModule,
    DatabaseModule,
    AuthModule,
    HealthModule,
    CustomersModule,
    UsersModule,
  ],
})
export class AppModule {}
