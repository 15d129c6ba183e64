'use strict';
/**
 * Every spelling a domain needs, from one name in any case, singular or plural: `invoice`,
 * `Invoice`, `invoices`, `line-items`, `LineItem`, `line_item` all give the same set.
 * `pluralize` is the library @nestjs/schematics' own `resource` schematic uses (decision 0130).
 */
const pluralize = require('pluralize');

/** Words of the JavaScript grammar: a domain named so could not be a variable. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined'
  ).split(' '),
);

/** PostgreSQL cuts identifiers at 63 bytes; the longest one generated adds 18 to the table. */
const MAX_TABLE_LENGTH = 40;

class InvalidDomainName extends Error {}

const capitalise = (word) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * "an invoice", "a user", "an hour": the article goes by the sound, which the spelling mostly
 * gives. A "u" that sounds like "you" and a silent "h" are the usual exceptions.
 */
function withArticle(phrase) {
  const vowelSound =
    (/^[aeio]/i.test(phrase) && !/^(one|once|eu)/i.test(phrase)) ||
    (/^u/i.test(phrase) && !/^u(ni|s[aeu]|ti|r[aeiou]|k)/i.test(phrase)) ||
    /^(hour|honest|honou?r|heir)/i.test(phrase);
  return `${vowelSound ? 'an' : 'a'} ${phrase}`;
}

/** `LineItems`, `line_items`, `line-items`, `line items` → ['line', 'items']. */
function wordsOf(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function spellings(words) {
  const kebab = words.join('-');
  const Class = words.map(capitalise).join('');
  return {
    kebab,
    snake: words.join('_'),
    Class,
    camel: Class.charAt(0).toLowerCase() + Class.slice(1),
    CONSTANT: words.join('_').toUpperCase(),
    human: words.join(' '),
  };
}

/**
 * The names of a domain. Throws InvalidDomainName with a sentence a user can act on.
 * @param {string} input
 */
function domainNames(input) {
  const raw = String(input ?? '').trim();
  if (!/^[A-Za-z][A-Za-z0-9 _-]*$/.test(raw)) {
    throw new InvalidDomainName(
      `"${raw}" is not a domain name: use letters, digits and dashes, starting with a letter (e.g. invoice, line-items).`,
    );
  }
  const words = wordsOf(raw);
  const last = words[words.length - 1];
  if (/^[0-9]/.test(words[0]) || /^[0-9]+$/.test(last)) {
    throw new InvalidDomainName(`"${raw}" must start and end with a word, not a number.`);
  }
  const singularLast = pluralize.singular(last);
  const singular = spellings([...words.slice(0, -1), singularLast]);
  const plural = spellings([...words.slice(0, -1), pluralize.plural(singularLast)]);
  if (singular.kebab === plural.kebab) {
    throw new InvalidDomainName(
      `"${raw}" is the same in singular and plural: name it so the two differ (e.g. ${singular.kebab}-item).`,
    );
  }
  for (const variable of [singular.camel, plural.camel]) {
    if (RESERVED.has(variable)) {
      throw new InvalidDomainName(
        `"${raw}" gives the variable name "${variable}", a JavaScript keyword: choose another name.`,
      );
    }
  }
  if (plural.snake.length > MAX_TABLE_LENGTH) {
    throw new InvalidDomainName(
      `"${raw}" is too long: its table name "${plural.snake}" has over ${MAX_TABLE_LENGTH} characters.`,
    );
  }
  return {
    /** line-item */
    singular: singular.kebab,
    /** line-items: folder, file prefix of the module's parts, route, OpenAPI tag */
    plural: plural.kebab,
    /** LineItem: the entity */
    Singular: singular.Class,
    /** LineItems: LineItemsModule, LineItemsService, ... */
    Plural: plural.Class,
    singularCamel: singular.camel,
    pluralCamel: plural.camel,
    /** LINE_ITEM */
    SINGULAR: singular.CONSTANT,
    /** line_items */
    table: plural.snake,
    /** Line item, line items: in messages and descriptions */
    Human: capitalise(singular.human),
    human: singular.human,
    humanPlural: plural.human,
    /** an invoice, a line item: in prose */
    aHuman: withArticle(singular.human),
    /** An invoice: at the start of a sentence */
    AHuman: capitalise(withArticle(singular.human)),
  };
}

module.exports = { domainNames, InvalidDomainName };
