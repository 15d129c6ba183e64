import { migrate } from '../schema.js';
import { runAgainstDatabase } from './run-against-database.js';

await runAgainstDatabase('db:migrate', async (settings) => {
  const applied = await migrate(settings, () =>
    process.stdout.write('Another migration run holds the lock: waiting for it to finish.\n'),
  );
  return applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The schema is up to date.';
});
