/**
 * `npm run api:diff -- <base ref>`: the changes from the snapshot at <base ref> (default `main`)
 * to the working tree's openapi.json that break a client (breaking-changes.ts). Exits 1 when there
 * are any, so a reviewer (or a pipeline) sees a breaking change before it merges.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { breakingChanges, type OpenApiDocument } from './breaking-changes.js';

const SNAPSHOT = 'openapi.json';
const base = process.argv[2] ?? 'main';

/** The snapshot at `ref`, or undefined where it has none (a branch from before the snapshot). */
function snapshotAt(ref: string): OpenApiDocument | undefined {
  try {
    const text = execFileSync('git', ['show', `${ref}:${SNAPSHOT}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(text) as OpenApiDocument;
  } catch {
    return undefined;
  }
}

const before = snapshotAt(base);
if (before === undefined) {
  process.stdout.write(`${base} has no ${SNAPSHOT}: nothing to compare against.\n`);
} else {
  const after = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as OpenApiDocument;
  const changes = breakingChanges(before, after);
  if (changes.length === 0) {
    process.stdout.write(`No change that breaks clients since ${base}.\n`);
  } else {
    process.stdout.write(
      `${changes.length} change(s) since ${base} break clients built on its document:\n` +
        changes.map(({ where, change }) => `  ${where}: ${change}\n`).join(''),
    );
    process.exitCode = 1;
  }
}
