import { SEEDERS } from '../../domains.js';
import { seed } from '../schema.js';
import { runAgainstDatabase } from './run-against-database.js';

await runAgainstDatabase('db:seed', async (settings) => {
  await seed(settings, SEEDERS);
  return 'Demo data is in place.';
});
