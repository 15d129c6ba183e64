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
const { fieldCode } = require('./field-code.js');
const { InvalidField, parseFields } = require('./fields.js');
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

/** Without field specs, a domain has a name, as the generator's first version gave it. */
const DEFAULT_FIELDS = ['name:text'];

/**
 * The fields from the specs, with `--owned-by <field>`: that field is a reference to customers,
 * added when the specs leave it out. Returns the fields and the owner field (or undefined).
 */
function fieldsOf(options, names, tree) {
  // The schematics CLI gives every positional argument, the domain's name first.
  const positional = Array.isArray(options.fields) ? options.fields : [];
  const specs = positional[0] === options.name ? positional.slice(1) : positional;
  const owner = options.ownedBy;
  if (owner !== undefined && !specs.some((spec) => spec.split(':')[0] === owner)) {
    specs.push(`${owner}:ref:customers`);
  }
  const fields = parseFields(specs.length > 0 ? specs : DEFAULT_FIELDS, {
    names,
    referenced: (target) =>
      target.plural !== names.plural &&
      tree.exists(`src/modules/${target.plural}/${target.singular}.entity.ts`),
  });
  const ownerField = fields.find((field) => field.name === owner);
  if (
    owner !== undefined &&
    (ownerField?.type !== 'ref' || ownerField.target.plural !== 'customers')
  ) {
    throw new InvalidField(
      `--owned-by ${owner}: ${owner} must be a reference to customers (${owner}:ref:customers).`,
    );
  }
  if (ownerField?.optional) {
    throw new InvalidField(
      `--owned-by ${owner}: every ${names.human} needs its owner, so ${owner} cannot be optional.`,
    );
  }
  return { fields, owner: ownerField };
}

function domain(options) {
  return (tree, context) => {
    let names;
    let code;
    try {
      names = domainNames(options.name);
      const { fields, owner } = fieldsOf(options, names, tree);
      code = fieldCode(fields, names, owner);
    } catch (error) {
      if (error instanceof InvalidDomainName || error instanceof InvalidField) {
        throw new SchematicsException(`${error.message} Nothing was written.`);
      }
      throw error;
    }
    refuseExisting(tree, names);
    const timestamp = migrationTimestamp(tree);
    const created = [];
    const templates = apply(url('./files'), [
      applyTemplates({ ...names, ...code, timestamp }),
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
            `Domain ${names.plural}: /api/v1/${names.plural} (${
              code.owner
                ? `a customer reads and changes their own ${names.humanPlural}; admins all`
                : 'reads: any signed-in account; writes: admins'
            }).`,
            `Its migration creates table "${names.table}"; after changing the entity, \`npm run db:migration:create\` writes the next one.`,
            `Check it: npm run lint && npm run test:unit -- src/modules/${names.plural} && npm run test:e2e -- test/${names.plural}.e2e-spec.ts`,
          ].join('\n'),
        );
      },
    ]);
  };
}

module.exports = { domain };
