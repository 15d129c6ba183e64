import { MikroORM } from '@mikro-orm/postgresql';
import { underMigrationLock } from './migration-lock.js';
import { type DatabaseSettings, ormConfig } from './orm.config.js';
import type { Seeder } from '@mikro-orm/seeder';
import { unboundedSession } from './statement-timeout.js';

async function withOrm<T>(
  settings: DatabaseSettings,
  work: (orm: MikroORM) => Promise<T>,
): Promise<T> {
  const orm = await MikroORM.init({
    ...ormConfig(settings),
    pool: { min: 0, max: 2 },
    // Schema work is not a request: building an index on a large table may take minutes.
    onCreateConnection: unboundedSession,
  });
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

/**
 * Applies every pending migration under the migration lock; returns the names of those applied
 * (none when another run applied them meanwhile). `settings.url` is the direct URL (direct-url.ts).
 */
export function migrate(settings: DatabaseSettings, onWait?: () => void): Promise<string[]> {
  return underMigrationLock(
    settings.url,
    () => withOrm(settings, async (orm) => (await orm.migrator.up()).map((m) => m.name)),
    onWait,
  );
}

/** Demo data, seeder by seeder; safe to run again (existing rows are left alone). */
export function seed(settings: DatabaseSettings, seeders: (new () => Seeder)[]): Promise<void> {
  return withOrm(settings, (orm) => orm.seeder.seed(...seeders));
}

/** A new migration from the difference between the entities and the migrated schema. */
export function createMigration(
  settings: DatabaseSettings,
  path: string,
): Promise<string | undefined> {
  return underMigrationLock(settings.url, () =>
    withOrm(settings, async (orm) => {
      await orm.migrator.up();
      const result = await orm.migrator.create(path);
      return result.diff.up.length > 0 ? result.fileName : undefined;
    }),
  );
}
