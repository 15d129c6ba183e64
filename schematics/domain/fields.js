'use strict';
/**
 * Field specs on the command line (issue 23), as Rails' `generate scaffold` takes them:
 * `<field>:<type>[?]`, e.g. `amountCents:money status:enum:draft,issued note:text:500? dueOn:date`.
 * This file reads the grammar; `field-types.js` knows what each type becomes in the code.
 */
const { InvalidDomainName, domainNames } = require('./names.js');
const { FIELD_TYPES } = require('./field-types.js');

class InvalidField extends Error {}

/** Columns every domain has: a field may not take their names. */
const TAKEN = new Set(['id', 'createdAt', 'updatedAt', 'version']);
/** PostgreSQL cuts identifiers at 63 bytes; `<table>_<column>_created_at_id_idx` is the longest. */
const MAX_IDENTIFIER = 63;

const snake = (camel) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const words = (camel) => snake(camel).replaceAll('_', ' ');

/**
 * One spec, parsed: `note:text:500?` → { name: 'note', type: 'text', argument: '500', optional }.
 * Throws InvalidField with a sentence a user can act on.
 */
function parseSpec(spec) {
  const optional = spec.endsWith('?');
  const body = optional ? spec.slice(0, -1) : spec;
  const [name, type, ...rest] = body.split(':');
  const argument = rest.length > 0 ? rest.join(':') : undefined;
  if (!/^[a-z][A-Za-z0-9]*$/.test(name ?? '')) {
    throw new InvalidField(
      `"${spec}": a field's name is camelCase letters and digits, starting with a lower-case letter (e.g. amountCents).`,
    );
  }
  if (!Object.hasOwn(FIELD_TYPES, type ?? '')) {
    throw new InvalidField(
      `"${spec}": "${type ?? ''}" is not a field type; one of ${Object.keys(FIELD_TYPES).join(', ')} (npm run g:domain -- --help).`,
    );
  }
  return { name, type, argument, optional };
}

/**
 * The fields of a domain from its specs, each with what the templates need. `referenced(names)`
 * says whether a domain exists, for `ref:<domain>`.
 * @param {string[]} specs
 * @param {{ names: Record<string, string>, referenced: (names: object) => boolean }} context
 */
function parseFields(specs, { names, referenced }) {
  const { table } = names;
  const fields = [];
  for (const spec of specs) {
    const { name, type, argument, optional } = parseSpec(spec);
    if (TAKEN.has(name)) throw new InvalidField(`"${spec}": every domain already has ${name}.`);
    const kind = FIELD_TYPES[type];
    const field = { spec, name, type, kind, optional, column: snake(name), human: words(name) };
    Object.assign(field, kind.read(argument, field, { spec, InvalidField }));
    if (type === 'ref') {
      let target;
      try {
        target = domainNames(argument ?? '');
      } catch (error) {
        if (error instanceof InvalidDomainName)
          throw new InvalidField(`"${spec}": ${error.message}`);
        throw error;
      }
      if (!referenced(target)) {
        throw new InvalidField(
          `"${spec}": there is no domain "${target.plural}" to refer to (src/modules/${target.plural}/${target.singular}.entity.ts).`,
        );
      }
      Object.assign(field, {
        target,
        column: `${snake(name)}_id`,
        wire: `${name}Id`,
        foreignKey: `${table}_${snake(name)}_id_foreign`,
        foreignKeyConstant: `${names.SINGULAR}_${snake(name).toUpperCase()}_FOREIGN_KEY`,
      });
    }
    field.wire ??= name;
    field.constant = snake(name).toUpperCase();
    if (fields.some((other) => other.name === name || other.wire === field.wire)) {
      throw new InvalidField(`"${spec}": a field named ${name} is given twice.`);
    }
    if (`${table}_${field.column}_created_at_id_idx`.length > MAX_IDENTIFIER) {
      throw new InvalidField(`"${spec}": the name is too long for PostgreSQL's identifiers.`);
    }
    fields.push(field);
  }
  if (fields.length > 0 && fields.every((field) => field.type === 'ref')) {
    throw new InvalidField(
      'Give the domain at least one field that is not a reference (e.g. note:text).',
    );
  }
  return fields;
}

module.exports = { InvalidField, parseFields };
