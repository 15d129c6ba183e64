import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, defineConfig, type Options } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { fileURLToPath } from 'node:url';
import type { EntityList } from './domain-parts.js';

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  /** Outside Nest (migrations, the seed): src/domains.ts. The app finds them in its modules. */
  entities?: EntityList;
}

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** One ORM configuration for the app, the CLI scripts and the tests. */
export function ormConfig({ url, poolMax, entities = [] }: DatabaseSettings): Options {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: url,
    entities,
    pool: { min: 0, max: poolMax },
    // Each request and job gets its own context; touching the global one is a bug.
    allowGlobalContext: false,
    // Schema changes go through migrations only, never through discovery at start-up.
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator, SeedManager],
    migrations: {
      path: here('./migrations'),
      glob: 'Migration*.{js,ts}',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  });
}
