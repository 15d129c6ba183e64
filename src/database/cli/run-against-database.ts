import { InvalidEnvironment } from '../../config/environment.js';
import { ENTITIES } from '../../domains.js';
import { loadEnvironment } from '../../config/load-environment.js';
import { startDevelopmentDatabase } from '../development-database.js';
import type { DatabaseSettings } from '../orm.config.js';

/**
 * Runs a database command against DATABASE_URL, or against the embedded development database
 * when none is given, then exits with 0 or 1.
 */
export async function runAgainstDatabase(
  name: string,
  work: (settings: DatabaseSettings) => Promise<string>,
): Promise<void> {
  let stopEmbedded: (() => Promise<void>) | undefined;
  try {
    const env = loadEnvironment();
    let url = env.DATABASE_URL;
    if (!url) {
      const embedded = await startDevelopmentDatabase();
      stopEmbedded = () => embedded.server.stop();
      url = embedded.url;
    }
    process.stdout.write(`${await work({ url, poolMax: 2, entities: ENTITIES })}\n`);
    process.exitCode = 0;
  } catch (error) {
    const message =
      error instanceof InvalidEnvironment
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`${name} failed: ${message}\n`);
    process.exitCode = 1;
  } finally {
    await stopEmbedded?.();
  }
}
