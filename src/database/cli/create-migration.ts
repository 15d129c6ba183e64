import { resolve } from 'node:path';
import { createMigration } from '../schema.js';
import { formatMigration } from './format-migration.js';
import { runAgainstDatabase } from './run-against-database.js';

// Written to the sources, not to dist/, so the new migration is reviewed and committed.
const MIGRATIONS_SOURCE = resolve('src/database/migrations');

await runAgainstDatabase('db:migration:create', async (settings) => {
  const file = await createMigration(settings, MIGRATIONS_SOURCE);
  if (!file) return 'No entity changes: no migration created.';
  await formatMigration(`${MIGRATIONS_SOURCE}/${file}`);
  return `Created ${MIGRATIONS_SOURCE}/${file}`;
});
