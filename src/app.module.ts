import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { CustomersModule } from './modules/customers/customers.module.js';

@Module({
  imports: [ConfigModule, HttpModule, DatabaseModule, HealthModule, CustomersModule],
})
export class AppModule {}
