import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { ensureAdmin } from './ensure-admin.js';
import { PasswordHasher } from '../../auth/password-hasher.js';
import { validateEnvironment } from '../../config/environment.js';

/**
 * The admin from ADMIN_EMAIL/ADMIN_PASSWORD (in development, the documented default
 * admin@keel.dev / keel-admin-password), so the demo data can be browsed right away.
 */
export class AccountsSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = validateEnvironment(process.env);
    if (email && password) await ensureAdmin(em, new PasswordHasher(), { email, password });
  }
}
