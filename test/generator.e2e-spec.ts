import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../src/database/database-admin.js';

/**
 * `npm run g:domain` as a new user runs it, in a scratch copy of the repository (node_modules
 * linked, not installed): the invoice (a field of every type, owned by a customer) passes
 * the project's own lint, build, unit and e2e suites with no hand edit, and its one migration is
 * exactly what MikroORM's migrator would write. The field grammar: domain-field-specs.e2e-spec.ts.
 */
const REPOSITORY = resolve('.');
/** The invoice, with one field of every type (issue 23). */
const INVOICE = [
  'invoice',
  'title:text',
  'note:text:500?',
  'quantity:int:1..1000',
  'amountCents:money',
  'urgent:bool',
  'dueOn:date',
  'paidAt:timestamp?',
  'status:enum:draft,issued,paid',
  'customer:ref:customers',
  '--owned-by',
  'customer',
];
const run = promisify(execFile);

interface Outcome {
  code: number;
  output: string;
}

/** The repository's own Node and tools first on PATH, as `npm run` gives them. */
const toolEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(REPOSITORY, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
    FORCE_COLOR: '0',
    ...extra,
  };
  delete env.JEST_WORKER_ID;
  return env;
};

async function sh(cwd: string, command: string, args: string[], env = toolEnv()) {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}${stderr}` } satisfies Outcome;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    } satisfies Outcome;
  }
}

/** Fails with the command's output, so a CI log says what the generated code got wrong. */
function expectSuccess(outcome: Outcome, what: string): void {
  if (outcome.code !== 0) throw new Error(`${what} exited ${outcome.code}:\n${outcome.output}`);
}

/** Every file under `root` (node_modules and build output aside) with its content. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || /(^|\/)(node_modules|dist|\.git)(\/|$)/.test(relative(root, path)))
      continue;
    files.set(relative(root, path), await readFile(path, 'utf8'));
  }
  return files;
}

describe('nest g domain', () => {
  const names = createRequire(import.meta.url)('../schematics/domain/names.js') as {
    domainNames(name: string): Record<string, string>;
  };

  it.each([
    ['invoice', 'invoice', 'invoices', 'Invoice', 'Invoices', 'invoices'],
    ['Invoice', 'invoice', 'invoices', 'Invoice', 'Invoices', 'invoices'],
    ['invoices', 'invoice', 'invoices', 'Invoice', 'Invoices', 'invoices'],
    ['line-items', 'line-item', 'line-items', 'LineItem', 'LineItems', 'line_items'],
    ['LineItem', 'line-item', 'line-items', 'LineItem', 'LineItems', 'line_items'],
    ['line_item', 'line-item', 'line-items', 'LineItem', 'LineItems', 'line_items'],
    ['category', 'category', 'categories', 'Category', 'Categories', 'categories'],
    ['person', 'person', 'people', 'Person', 'People', 'people'],
    ['address', 'address', 'addresses', 'Address', 'Addresses', 'addresses'],
  ])('names %s: files %s/%s, classes %s/%s, table %s', (input, ...expected) => {
    const { singular, plural, Singular, Plural, table } = names.domainNames(input);
    expect([singular, plural, Singular, Plural, table]).toEqual(expected);
  });

  it.each([
    ['a name that is not one', 'bad name!', /not a domain name/],
    ['a keyword', 'class', /keyword/],
    ['the same word in singular and plural', 'news', /same in singular and plural/],
  ])('refuses %s', (_, input, message) => {
    expect(() => names.domainNames(input)).toThrow(message);
  });

  describe('in a scratch copy of the repository', () => {
    let scratch: string;
    let before: Map<string, string>;
    const database = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_generator`;

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'keel-generator-'));
      await cp(REPOSITORY, scratch, {
        recursive: true,
        filter: (source) =>
          !/^(node_modules|dist|\.data|coverage|\.git)(\/|$)/.test(relative(REPOSITORY, source)),
      });
      await symlink(join(REPOSITORY, 'node_modules'), join(scratch, 'node_modules'), 'dir');
      before = await snapshot(scratch);
    }, 120_000);
    afterAll(async () => {
      await dropDatabase(process.env.DATABASE_URL!, database);
      await rm(scratch, { recursive: true, force: true });
    });

    it('lists the files with --dry-run and writes none (nest g, any case)', async () => {
      const outcome = await sh(scratch, process.execPath, [
        join(REPOSITORY, 'node_modules/@nestjs/cli/bin/nest.js'),
        'g',
        'domain',
        'ScratchWidget',
        '--dry-run',
      ]);
      expectSuccess(outcome, 'nest g domain --dry-run');
      for (const file of [
        'src/modules/scratch-widgets/scratch-widget.entity.ts',
        'src/modules/scratch-widgets/scratch-widgets.controller.ts',
        'src/modules/scratch-widgets/dto/create-scratch-widget.dto.ts',
        'test/scratch-widgets.e2e-spec.ts',
      ]) {
        expect(outcome.output).toContain(`CREATE ${file}`);
      }
      expect(outcome.output).toMatch(/CREATE src\/database\/migrations\/Migration\d{14}\.ts/);
      expect(outcome.output).toContain('UPDATE src/domains.ts');
      expect(await snapshot(scratch)).toEqual(before);
    }, 120_000);

    it('generates a domain with a field of every type, a reference to customers and --owned-by customer, whose lint, build, unit and e2e suites pass with no hand edit', async () => {
      const generated = await sh(scratch, 'npm', ['run', 'g:domain', '--', ...INVOICE]);
      expectSuccess(generated, 'npm run g:domain');
      expect(generated.output).toContain(
        'Check it: npm run lint && npm run test:unit -- src/modules/invoices && npm run test:e2e -- test/invoices.e2e-spec.ts',
      );
      const domains = await readFile(join(scratch, 'src/domains.ts'), 'utf8');
      expect(domains).toMatch(/^ {2}InvoicesModule,$/m);
      const migrations = (await readdir(join(scratch, 'src/database/migrations'))).filter(
        (file) => !before.has(`src/database/migrations/${file}`),
      );
      expect(migrations).toHaveLength(1);

      expectSuccess(await sh(scratch, 'npm', ['run', 'lint']), 'npm run lint');
      expectSuccess(await sh(scratch, 'npm', ['run', 'build']), 'npm run build');
      // The new domain reaches client teams: the typed client and the snapshot (issue 27, item 4).
      expectSuccess(
        await sh(scratch, 'npm', ['run', 'client:generate']),
        'npm run client:generate',
      );
      const snapshot = JSON.parse(await readFile(join(scratch, 'openapi.json'), 'utf8')) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(snapshot.paths)).toEqual(
        expect.arrayContaining(['/api/v1/invoices', '/api/v1/invoices/{id}']),
      );
      expect(await readFile(join(scratch, 'client/src/schema.ts'), 'utf8')).toMatch(
        /^ {2}'\/api\/v1\/invoices\/\{id\}': \{$/m,
      );
      const suites = await sh(scratch, process.execPath, [
        '--experimental-vm-modules',
        'node_modules/jest/bin/jest.js',
        '--verbose',
        'src/modules/invoices',
        'test/invoices.e2e-spec.ts',
        // It attacks every operation of /docs-json: the generated routes are among them.
        'test/hostile-input.e2e-spec.ts',
      ]);
      expectSuccess(suites, 'the generated suites');
      expect(suites.output).toMatch(/Tests: +\d+ passed, \d+ total/);
      expect(suites.output).toMatch(/Test Suites: 3 passed, 3 total/);
      // What the issue asks of the generated suite, by the names of its tests.
      for (const test of [
        'keeps a customer invoices refer to: deleting it answers 409 naming them',
        'are not found: not read, listed, changed or deleted (404, like a missing one)',
        'refuses customerId as a malformed id with 400 naming the field',
        'refuses a customerId that does not exist with 422',
        'refuses quantity as one above the range with 400 naming the field',
        'refuses amountCents as a negative amount with 400 naming the field',
        'refuses status as a value not in the list with 400 naming the field',
        'refuses dueOn as a day that does not exist with 400 naming the field',
        'refuses paidAt as a time without a time zone with 400 naming the field',
        'refuses urgent as a word with 400 naming the field',
        'refuses title as null with 400 naming the field',
        'takes null or nothing for the optional fields (note, paidAt)',
      ]) {
        expect(suites.output).toContain(test);
      }
    }, 900_000);

    it("writes the migration MikroORM's migrator would: none is left to create", async () => {
      await createDatabaseIfMissing(process.env.DATABASE_URL!, database);
      const outcome = await sh(
        scratch,
        process.execPath,
        ['dist/database/cli/create-migration.js'],
        toolEnv({ DATABASE_URL: withDatabase(process.env.DATABASE_URL!, database) }),
      );
      expectSuccess(outcome, 'db:migration:create');
      expect(outcome.output).toContain('No entity changes: no migration created.');
    }, 120_000);

    it('refuses an existing name in any case, and overwrites nothing', async () => {
      const generated = await snapshot(scratch);
      for (const name of ['Invoice', 'customers']) {
        const outcome = await sh(scratch, 'npm', ['run', 'g:domain', '--', name]);
        expect(outcome.code).not.toBe(0);
        expect(outcome.output).toMatch(/already exists.*Nothing was written\./);
      }
      expect(await snapshot(scratch)).toEqual(generated);
    }, 120_000);
  });
});
