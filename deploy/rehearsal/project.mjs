import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the rehearsal runs the built app from `dist/`. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * An npm script that runs `node …` (`start:prod`, `db:migrate`) as a command for this Node, so
 * the rehearsal starts Keel exactly as production does, flags included.
 */
export function scriptCommand(name) {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const [program, ...args] = scripts[name].trim().split(/\s+/);
  if (program !== 'node') throw new Error(`npm script ${name} must run node, not ${program}`);
  return { command: process.execPath, args };
}
