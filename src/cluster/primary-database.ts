import type { Environment } from '../config/environment.js';
import type { DevelopmentDatabase } from '../database/development-database.js';

/**
 * What must happen once for the whole group, before any worker starts (main.ts does the same for a
 * single process): the embedded PostgreSQL when DATABASE_URL is unset, then, outside production,
 * migrations and the seed. The workers get DATABASE_URL and never migrate.
 */
export async function preparePrimaryDatabase(
  env: Environment,
): Promise<DevelopmentDatabase | undefined> {
  let embedded: DevelopmentDatabase | undefined;
  if (!env.DATABASE_URL) {
    const { startDevelopmentDatabase } = await import('../database/development-database.js');
    embedded = await startDevelopmentDatabase();
    env.DATABASE_URL = process.env.DATABASE_URL = embedded.url;
  }
  try {
    if (env.NODE_ENV !== 'production') {
      const { migrate, seed } = await import('../database/schema.js');
      const { ENTITIES, SEEDERS } = await import('../domains.js');
      const { directDatabaseUrl } = await import('../database/direct-url.js');
      const settings = { url: env.DATABASE_URL, poolMax: 2, entities: ENTITIES };
      await migrate({ ...settings, url: embedded?.url ?? directDatabaseUrl(env)! });
      await seed(settings, SEEDERS);
    }
  } catch (error) {
    await embedded?.server.stop();
    throw error;
  }
  return embedded;
}
