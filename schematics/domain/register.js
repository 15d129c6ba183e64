'use strict';
/**
 * What makes a generated domain part of the app, and what makes a name unusable. Kept apart from
 * the templates: when the way domains are registered changes, this file changes with it.
 */
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { SchematicsException } = require('@angular-devkit/schematics');

/** The one list of domains: the app installs them, migrations and the seed read their parts. */
const DOMAINS = 'src/domains.ts';
const registrationFiles = [DOMAINS];

function refuse(message) {
  throw new SchematicsException(`${message} Nothing was written.`);
}

/** Every file under a folder of the tree, as paths without a leading slash. */
function filesUnder(tree, folder) {
  const found = [];
  tree.getDir(folder).visit((path) => found.push(path.replace(/^\//, '')));
  return found;
}

/** Identifiers the templates declare or import: fixed ones, and the ones built from the name. */
function templateIdentifiers() {
  const fixed = new Set();
  const built = new Set();
  const add = (identifier) => (identifier.includes('<%') ? built : fixed).add(identifier);
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        visit(path);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      for (const [, list] of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)) {
        for (const item of list.split(',')) {
          const name = item
            .replace(/\btype\s+/, '')
            .split(/\s+as\s+/)
            .pop()
            .trim();
          if (name) add(name);
        }
      }
      for (const [, name] of text.matchAll(
        /\b(?:interface|class|function|const|type)\s+((?:[\w$]|<%=\s*\w+\s*%>)+)/g,
      )) {
        add(name);
      }
    }
  };
  visit(join(__dirname, 'files'));
  return { fixed, built };
}

/** Refuses a name that is taken, or that would make the generated code clash with itself. */
function refuseExisting(tree, names) {
  const folder = `src/modules/${names.plural}`;
  if (filesUnder(tree, folder).length > 0) {
    refuse(`The domain "${names.plural}" already exists (${folder}/).`);
  }
  const suite = `test/${names.plural}.e2e-spec.ts`;
  if (tree.exists(suite)) refuse(`${suite} already exists.`);
  for (const path of filesUnder(tree, 'src').filter((file) => file.endsWith('.ts'))) {
    const text = tree.readText(path);
    if (
      new RegExp(`\\bname:\\s*'${names.Singular}'`).test(text) &&
      text.includes('defineEntity(')
    ) {
      refuse(`An entity named ${names.Singular} already exists (${path}).`);
    }
    if (new RegExp(`\\btableName:\\s*'${names.table}'`).test(text)) {
      refuse(`The table "${names.table}" already belongs to an entity (${path}).`);
    }
    if (text.includes(`@Controller('api/v1/${names.plural}'`)) {
      refuse(`The route /api/v1/${names.plural} already exists (${path}).`);
    }
    if (new RegExp(`\\bclass ${names.Plural}Module\\b`).test(text)) {
      refuse(`${names.Plural}Module already exists (${path}).`);
    }
  }
  const { fixed, built } = templateIdentifiers();
  for (const pattern of built) {
    const identifier = pattern.replace(/<%=\s*(\w+)\s*%>/g, (_, key) => names[key]);
    if (fixed.has(identifier)) {
      refuse(
        `"${names.singular}" would name ${identifier}, which the generated code already uses for something else: choose another name.`,
      );
    }
  }
}

/** Inserts `line` after the last line matching `after`. */
function insertAfterLast(text, after, line, path) {
  const lines = text.split('\n');
  let index = -1;
  lines.forEach((candidate, i) => {
    if (after.test(candidate)) index = i;
  });
  if (index < 0) refuse(`${path} no longer has the shape the generator expects (${after}).`);
  lines.splice(index + 1, 0, line);
  return lines.join('\n');
}

/** Adds `entry` as the last element of the array literal that starts with `opening`. */
function appendToArray(text, opening, entry, path) {
  const start = text.indexOf(opening);
  const end = start < 0 ? -1 : text.indexOf(']', start + opening.length);
  if (end < 0) refuse(`${path} no longer has the shape the generator expects (${opening}).`);
  const before = text.slice(0, end).replace(/,?\s*$/, '');
  return `${before},\n${entry},\n${text.slice(end)}`;
}

/** The domain's module in the list of domains (its entities come with it: `parts`). */
function registerDomain(names) {
  return (tree) => {
    if (!tree.exists(DOMAINS)) refuse(`${DOMAINS} is missing.`);
    const module = `${names.Plural}Module`;
    let domains = tree.readText(DOMAINS);
    domains = insertAfterLast(
      domains,
      /^import .* from '\.\/modules\/.*';$/,
      `import { ${module} } from './modules/${names.plural}/${names.plural}.module.js';`,
      DOMAINS,
    );
    domains = appendToArray(
      domains,
      'export const DOMAINS: readonly DomainModule[] = [',
      module,
      DOMAINS,
    );
    tree.overwrite(DOMAINS, domains);
  };
}

module.exports = { refuseExisting, registerDomain, registrationFiles };
