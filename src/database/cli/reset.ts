import pg from 'pg';
import { SEEDERS } from '../../domains.js';
import { StartupFailure } from '../../lifecycle/startup-failure.js';
import { migrate, seed } from '../schema.js';
import { runAgainstDatabase } from './run-against-database.js';

/**
 * `npm run db:reset`: development data from scratch (issue 23, item 5). Every schema of the
 * database goes (the tables, pg-boss's jobs), then the migrations and the seed run as `npm start`
 * runs them. Refused in production: there is no undo.
 */
await runAgainstDatabase('db:reset', async (settings) => {
  if (process.env.NODE_ENV === 'production') {
    // A refusal, not a bug: printed as one line, without a stack.
    throw new StartupFailure('refused with NODE_ENV=production: it deletes every row.');
  }
  const client = new pg.Client({ connectionString: settings.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema'",
    );
    for (const { name } of rows) {
      await client.query(`drop schema ${client.escapeIdentifier(name)} cascade`);
    }
    await client.query('create schema public');
  } finally {
    await client.end();
  }
  const applied = await migrate(settings);
  await seed(settings, SEEDERS);
  return `Reset: ${applied.length} migrations applied, demo data in place.`;
});
