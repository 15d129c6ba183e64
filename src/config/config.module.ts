import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { type Environment, validateEnvironment } from './environment.js';

/** Typed access to the validated environment: `config.get('PORT', { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      // main.ts loads `.env` beneath the real environment once, before anything reads it.
      ignoreEnvFile: true,
      validate: validateEnvironment,
    }),
  ],
})
export class ConfigModule {}
