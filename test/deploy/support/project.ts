import { readFileSync } from 'node:fs';
import { Environment } from '../../../src/config/environment.js';
import type { ImageExpectations } from './dockerfile-lint.js';

interface PackageJson {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
}

export const packageJson = (): PackageJson =>
  JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;

/** What the image must agree with, read from the project itself. */
export function imageExpectations(): ImageExpectations {
  const { scripts, devDependencies } = packageJson();
  return {
    startCommand: scripts['start:prod'],
    nodeVersion: devDependencies.node,
    port: new Environment().PORT,
    dockerignore: readFileSync('.dockerignore', 'utf8').split('\n'),
  };
}
