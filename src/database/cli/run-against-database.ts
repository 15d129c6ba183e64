import { InvalidEnvironment } from '../../config/environment.js';
import { ENTITIES } from '../../domains.js';
import { loadEnvironment } from '../../config/load-environment.js';
import { StartupFailure } from '../../lifecycle/startup-failure.js';
import { startDevelopmentDatabase } from '../development-database.js';
import { directDatabaseUrl } from '../direct-url.js';
import type { DatabaseSettings } from '../orm.config.js';

/**
 * Runs a database command against DATABASE_DIRECT_URL or else DATABASE_URL (direct-url.ts), or
 * against the embedded development database when neither is given, then exits with 0 or 1.
 */
export async function runAgainstDatabase(
  name: string,
  work: (settings: DatabaseSettings) => Promise<string>,
): Promise<void> {
  let stopEmbedded: (() => Promise<void>) | undefined;
  try {
    const env = loadEnvironment();
    let url = directDatabaseUrl(env);
    if (!url) {
      const embedded = await startDevelopmentDatabase();
      stopEmbedded = () => embedded.server.stop();
      url = embedded.url;
    }
    process.stdout.write(`${await work({ url, poolMax: 2, entities: ENTITIES })}\n`);
    process.exitCode = 0;
  } catch (error) {
    const message =
      error instanceof InvalidEnvironment || error instanceof StartupFailure
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
