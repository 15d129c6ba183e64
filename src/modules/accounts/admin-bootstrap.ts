import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/config.module.js';
import { ensureAdmin } from './ensure-admin.js';
import { PasswordHasher } from '../../auth/password-hasher.js';

/** When ADMIN_EMAIL and ADMIN_PASSWORD are set, that admin exists once the app has started. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly hasher: PasswordHasher,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    try {
      // No request here: a context of its own (the global one is off limits).
      const outcome = await ensureAdmin(this.orm.em.fork(), this.hasher, { email, password });
      if (outcome !== 'unchanged') this.logger.log({ email, outcome }, 'admin account ready');
    } catch (error) {
      // Not fatal: another instance may have created it first (unique email), or the schema is not
      // migrated yet, which the startup probe reports. Serving the rest beats a crash loop.
      if (error instanceof UniqueConstraintViolationException) return;
      this.logger.error({ err: error, email }, 'could not ensure the admin account');
    }
  }
}
