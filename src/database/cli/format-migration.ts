import { readFile, writeFile } from 'node:fs/promises';

/**
 * MikroORM writes a migration as one long line per statement, which `prettier --check` (in
 * `npm run lint`) refuses (issue 23). The file is formatted with the project's own Prettier
 * settings right after it is written. Prettier is a development dependency, and so is this
 * command: it is imported only here, when a migration is created.
 */
export async function formatMigration(path: string): Promise<void> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  const text = await readFile(path, 'utf8');
  await writeFile(path, await prettier.format(text, { ...config, filepath: path }));
}
