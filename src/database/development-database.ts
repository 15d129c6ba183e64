import { resolve } from 'node:path';
import { createDatabaseIfMissing, withDatabase } from './database-admin.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded/embedded-database.js';

export const DEVELOPMENT_DATA_DIR = resolve('.data/postgres');
const DEVELOPMENT_DATABASE = 'keel';

export interface DevelopmentDatabase {
  url: string;
  server: EmbeddedDatabase;
}

/** The zero-config database: an embedded PostgreSQL under `.data/`, kept between runs. */
export async function startDevelopmentDatabase(
  dataDir = DEVELOPMENT_DATA_DIR,
): Promise<DevelopmentDatabase> {
  const server = await startEmbeddedDatabase(dataDir);
  try {
    await createDatabaseIfMissing(server.serverUrl, DEVELOPMENT_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: withDatabase(server.serverUrl, DEVELOPMENT_DATABASE), server };
}
