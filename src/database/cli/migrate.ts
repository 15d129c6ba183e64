import { migrate } from '../schema.js';
import { runAgainstDatabase } from './run-against-database.js';

await runAgainstDatabase('db:migrate', async (settings) => {
  const applied = await migrate(settings);
  return applied.length > 0 ? `Applied ${applied.join(', ')}` : 'The schema is up to date.';
});
