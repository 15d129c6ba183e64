import { existsSync } from 'node:fs';
import { type Environment, validateEnvironment } from './environment.js';

/**
 * Reads `.env` (if present) beneath the real environment, then validates.
 * Node's loader never overrides a variable that is already set, so the environment wins.
 */
export function loadEnvironment(envFile = '.env'): Environment {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return validateEnvironment(process.env);
}
