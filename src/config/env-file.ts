import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Fills in from `.env` (if present) what the environment leaves unset: the environment wins over
 * the file. Shared by the app and the tracing preload, which reads OTEL_* before the app loads.
 */
export function fillFromEnvFile(envFile = '.env'): void {
  if (!existsSync(envFile)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(envFile, 'utf8')))) {
    process.env[key] ??= value;
  }
}
