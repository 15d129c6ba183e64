import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as prettier from 'prettier';
import { formatMigration } from './format-migration.js';

/** A migration as MikroORM writes it: one long line a statement, which `prettier --check` refuses. */
const AS_WRITTEN = `import { Migration } from '@mikro-orm/migrations';

export class Migration20990101000000 extends Migration {
  override up(): void | Promise<void> {
    this.addSql(\`create table "widgets" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));\`);
  }
}
`;

describe('formatMigration', () => {
  // Inside the repository, so the project's Prettier settings apply as they do to src/.
  const folder = resolve('node_modules/.cache/keel/format-migration-spec');
  const path = `${folder}/Migration20990101000000.ts`;
  beforeAll(() => mkdir(folder, { recursive: true }));
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('leaves a new migration as `npm run lint` wants it', async () => {
    await writeFile(path, AS_WRITTEN);
    const config = (await prettier.resolveConfig(path)) ?? {};
    expect(await prettier.check(AS_WRITTEN, { ...config, filepath: path })).toBe(false);
    await formatMigration(path);
    const formatted = await readFile(path, 'utf8');
    expect(await prettier.check(formatted, { ...config, filepath: path })).toBe(true);
    expect(formatted).toContain('create table "widgets"');
  });
});
