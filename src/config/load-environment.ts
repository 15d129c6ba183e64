import { type Environment, validateEnvironment } from './environment.js';
import { fillFromEnvFile } from './env-file.js';

/**
 * Fills in from `.env` (if present) what the environment leaves unset, then validates: the
 * environment wins over the file, the file over the defaults.
 */
export function loadEnvironment(envFile = '.env'): Environment {
  fillFromEnvFile(envFile);
  return validateEnvironment(process.env);
}
