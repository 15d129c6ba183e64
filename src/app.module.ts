import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ReplicasModule } from './database/replicas/replicas.module.js';
import { DOMAINS } from './domains.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { identityMode } from './identity.js';

@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    HttpModule,
    DatabaseModule,
    ReplicasModule,
    MetricsModule,
    TracingModule,
    AuthModule,
    identityMode(),
    HealthModule,
    JobsModule,
    ...DOMAINS,
  ],
})
export class AppModule {}
