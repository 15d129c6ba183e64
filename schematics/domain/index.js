'use strict';
/**
 * `nest g domain <name>` / `npm run g:domain -- <name>`: a domain in the style of customers
 * (README "Add a domain", decision 0130). Everything happens in the schematic's virtual tree, so a
 * refusal writes nothing and `--dry-run` lists exactly what a real run writes.
 */
const {
  SchematicsException,
  apply,
  applyTemplates,
  chain,
  mergeWith,
  url,
} = require('@angular-devkit/schematics');
const { formatFiles } = require('./format.js');
const { InvalidDomainName, domainNames } = require('./names.js');
const { refuseExisting, registerDomain, registrationFiles } = require('./register.js');

/** MikroORM names migrations `Migration<UTC yyyymmddhhmmss>` and runs them in name order. */
function migrationTimestamp(tree) {
  const now = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const existing = tree
    .getDir('src/database/migrations')
    .subfiles.map((file) => /^Migration(\d{14})\.ts$/.exec(file)?.[1])
    .filter(Boolean)
    .sort();
  const latest = existing[existing.length - 1];
  return latest && latest >= now ? String(BigInt(latest) + 1n) : now;
}

function domain(options) {
  return (tree, context) => {
    let names;
    try {
      names = domainNames(options.name);
    } catch (error) {
      if (error instanceof InvalidDomainName) throw new SchematicsException(error.message);
      throw error;
    }
    refuseExisting(tree, names);
    const timestamp = migrationTimestamp(tree);
    const created = [];
    const templates = apply(url('./files'), [
      applyTemplates({ ...names, timestamp }),
      (generated) => {
        generated.visit((path) => created.push(path));
      },
    ]);
    return chain([
      mergeWith(templates),
      registerDomain(names),
      () => formatFiles([...created, ...registrationFiles]),
      () => {
        context.logger.info(
          [
            `Domain ${names.plural}: /api/v1/${names.plural} (reads: any signed-in account; writes: admins).`,
            `Its migration creates table "${names.table}"; after changing the entity, \`npm run db:migration:create\` writes the next one.`,
            `Check it: npm run lint && npm run build && npm run test:e2e -- test/${names.plural}.e2e-spec.ts`,
          ].join('\n'),
        );
      },
    ]);
  };
}

module.exports = { domain };
