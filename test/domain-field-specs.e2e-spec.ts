import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

/**
 * The generator's command line, read without generating anything (fast; the scratch-copy run is
 * test/generator.e2e-spec.ts): field specs, their refusals, the articles of generated prose and
 * `--help` (issue 23, items 1 and 6).
 */
const require = createRequire(import.meta.url);
const { parseFields } = require('../schematics/domain/fields.js') as {
  parseFields(
    specs: string[],
    context: { names: Record<string, string>; referenced: (target: { plural: string }) => boolean },
  ): Record<string, unknown>[];
};
const { domainNames } = require('../schematics/domain/names.js') as {
  domainNames(name: string): Record<string, string>;
};

const invoice = domainNames('invoice');
const fieldsOf = (...specs: string[]) =>
  parseFields(specs, {
    names: invoice,
    referenced: (target) => ['customers', 'products'].includes(target.plural),
  });

describe('g:domain field specs', () => {
  it('reads every type, with arguments and a trailing ? for optional', () => {
    const fields = fieldsOf(
      'title:text',
      'note:text:500?',
      'quantity:int:1..1000',
      'amountCents:money',
      'urgent:bool',
      'dueOn:date',
      'paidAt:timestamp?',
      'status:enum:draft,issued,paid',
      'customer:ref:customers',
    );
    expect(
      fields.map(({ name, type, optional, column }) => ({ name, type, optional, column })),
    ).toEqual([
      { name: 'title', type: 'text', optional: false, column: 'title' },
      { name: 'note', type: 'text', optional: true, column: 'note' },
      { name: 'quantity', type: 'int', optional: false, column: 'quantity' },
      { name: 'amountCents', type: 'money', optional: false, column: 'amount_cents' },
      { name: 'urgent', type: 'bool', optional: false, column: 'urgent' },
      { name: 'dueOn', type: 'date', optional: false, column: 'due_on' },
      { name: 'paidAt', type: 'timestamp', optional: true, column: 'paid_at' },
      { name: 'status', type: 'enum', optional: false, column: 'status' },
      { name: 'customer', type: 'ref', optional: false, column: 'customer_id' },
    ]);
    expect(fields[0]).toMatchObject({ length: 200 });
    expect(fields[1]).toMatchObject({ length: 500 });
    expect(fields[2]).toMatchObject({ min: 1, max: 1000 });
    expect(fields[7]).toMatchObject({ values: ['draft', 'issued', 'paid'] });
    expect(fields[8]).toMatchObject({
      wire: 'customerId',
      foreignKey: 'invoices_customer_id_foreign',
    });
  });

  it.each([
    ['an unknown type', 'amount:float', /"float" is not a field type/],
    ['a name that is not camelCase', 'Amount:int', /camelCase/],
    ['a column every domain has', 'version:int', /already has version/],
    ['a length that is not one', 'note:text:0', /text takes a length/],
    ['a range the wrong way round', 'quantity:int:10..1', /int takes a range/],
    ['a range beyond the column', 'quantity:int:0..3000000000', /int takes a range/],
    ['an enum with an upper-case value', 'status:enum:Draft', /enum takes distinct/],
    ['an enum with a value twice', 'status:enum:a,a', /enum takes distinct/],
    ['a reference to no domain', 'supplier:ref:suppliers', /no domain "suppliers"/],
    ['a reference without a domain', 'supplier:ref', /ref names the domain/],
  ])('refuses %s', (_, spec, message) => {
    expect(() => fieldsOf('title:text', spec)).toThrow(message);
  });

  it('refuses a field given twice, and a domain of references only', () => {
    expect(() => fieldsOf('title:text', 'title:int')).toThrow(/given twice/);
    expect(() => fieldsOf('customer:ref:customers')).toThrow(/not a reference/);
  });

  it.each([
    ['invoice', 'an invoice'],
    ['hour-log', 'an hour log'],
    ['order', 'an order'],
    ['user-group', 'a user group'],
    ['unit', 'a unit'],
    ['customer', 'a customer'],
    ['person', 'a person'],
  ])('writes the article for %s: "%s"', (name, expected) => {
    expect(domainNames(name).aHuman).toBe(expected);
  });

  it('prints the grammar for npm run g:domain -- --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      'schematics/domain/cli.js',
      '--help',
    ]);
    for (const type of ['text[:length]', 'int[:min..max]', 'money', 'bool', 'date', 'timestamp']) {
      expect(stdout).toContain(type);
    }
    expect(stdout).toContain('enum:a,b,c');
    expect(stdout).toContain('ref:<domain>');
    expect(stdout).toContain('--owned-by <field>');
  });
});
