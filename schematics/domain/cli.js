'use strict';
/**
 * `npm run g:domain`: the schematics CLI, with `--help` answered here — the CLI answers it with
 * its own usage, before the schematic is even read, so the field grammar would stay hidden.
 */
const { spawnSync } = require('node:child_process');
const { USAGE } = require('./usage.js');

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(args.length === 0 ? 1 : 0);
}
const cli = require.resolve('@angular-devkit/schematics-cli/bin/schematics.js');
const run = spawnSync(process.execPath, [cli, '@keel/schematics:domain', ...args], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
