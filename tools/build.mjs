#!/usr/bin/env node
// `npm run build` and every script that builds first: what `nest build` does — the TypeScript
// compiler with nest-cli.json's plugins (the Swagger plugin) as transformers — driven as
// `tsc --incremental` drives it, so a build redoes only what changed
// (docs/decisions/0196-builds-that-skip-what-did-not-change.md). `nest build` itself rechecks
// every file on each run (it reads the diagnostics off the program, not the builder, so its build
// info never records a file as checked) and empties dist/ first (`deleteOutDir`).
// The build info lives in dist/ (tsconfig.json), so deleting dist/ makes the next build whole.
// Around the compile, this script keeps dist/ true to src/:
// - before: an output that is missing (deleted by hand) makes the build whole again, since the
//   build info alone would say it is up to date;
// - after: an output whose source is gone is deleted (a removed migration must not stay in
//   dist/database/migrations/, where the migrator would still run it).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'src');
const OUTPUT = join(ROOT, 'dist');
const BUILD_INFO = join(OUTPUT, 'tsconfig.tsbuildinfo');

/** Every file under `folder`, as paths relative to it. */
function filesUnder(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

const isCompiledSource = (file) =>
  file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts');
const outputOf = (source) => source.replace(/\.ts$/, '.js');

if (existsSync(BUILD_INFO)) {
  const missing = filesUnder(SOURCE)
    .filter(isCompiledSource)
    .some((source) => !existsSync(join(OUTPUT, outputOf(source))));
  if (missing) rmSync(BUILD_INFO);
}

if (!compile()) process.exit(1);

const sources = new Set(filesUnder(SOURCE).filter(isCompiledSource).map(outputOf));
for (const file of filesUnder(OUTPUT)) {
  const compiled = file.endsWith('.js.map') ? file.slice(0, -'.map'.length) : file;
  if (compiled.endsWith('.js') && !sources.has(compiled)) rmSync(join(OUTPUT, file));
}

/** One incremental compile with the plugins' transformers; false when it reported errors. */
function compile() {
  const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8'));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, nestCli.compilerOptions.tsConfigPath),
    undefined,
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]) },
  );
  if (!config) return false;
  const builder = ts.createIncrementalProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  const program = builder.getProgram();
  // As Nest's plugin loader does: `<name>/plugin`, its `before` given the plugin's options.
  const require = createRequire(join(ROOT, 'package.json'));
  const before = (nestCli.compilerOptions.plugins ?? []).map((plugin) => {
    const { name, options = {} } = typeof plugin === 'string' ? { name: plugin } : plugin;
    return require(`${name}/plugin`).before(options, program);
  });
  // tsc's own order (emitFilesAndReportErrors): asking the builder records each file as checked.
  const diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  const emitted = builder.emit(undefined, undefined, undefined, undefined, { before });
  diagnostics.push(...emitted.diagnostics);
  report(diagnostics);
  return diagnostics.every((diagnostic) => diagnostic.category !== ts.DiagnosticCategory.Error);
}

function report(diagnostics) {
  if (diagnostics.length === 0) return;
  const host = {
    getCanonicalFileName: (path) => path,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.stderr.write(`Found ${diagnostics.length} error(s).\n`);
}
