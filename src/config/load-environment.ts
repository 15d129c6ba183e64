import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { type Environment, validateEnvironment } from './environment.js';

/**
 * Fills in from `.env` (if present) what the environment leaves unset, then validates: the
 * environment wins over the file, the file over the defaults.
 */
export function loadEnvironment(envFile = '.env'): Environment {
  if (existsSync(envFile)) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync(envFile, 'utf8')))) {
      process.env[key] ??= value;
    }
  }
  return validateEnvironment(process.env);
}
