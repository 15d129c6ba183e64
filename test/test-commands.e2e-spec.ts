import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run test:unit -- <pattern>` and `npm run test:e2e -- <file>` run only what matches (issue 23,
 * item 4). Jest's `--selectProjects` takes several values, so a pattern right after it was read as
 * one more project name and every suite ran; a boolean flag now ends the list (decision 0170).
 * Checked with `--listTests`, which lists what a run would run and runs nothing.
 */
const REPOSITORY = resolve('.');
const run = promisify(execFile);

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${join(REPOSITORY, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
  FORCE_COLOR: '0',
};
delete env.JEST_WORKER_ID;

/** The npm script's command with `args` appended as npm appends them; the build step left out. */
async function listedBy(script: string, args: string[]): Promise<string[]> {
  const scripts = (
    JSON.parse(await readFile('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const command = scripts[script].replace(/^node tools\/build\.mjs && /, '');
  const quoted = [...args, '--listTests'].map((arg) => `'${arg}'`).join(' ');
  const { stdout } = await run('sh', ['-c', `${command} ${quoted}`], { cwd: REPOSITORY, env });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('/'))
    .map((path) => relative(REPOSITORY, path))
    .sort();
}

describe('the test commands', () => {
  it('test:unit -- <pattern> lists only the unit suites that match', async () => {
    expect(await listedBy('test:unit', ['customers'])).toEqual([
      'src/modules/customers/customers.service.spec.ts',
    ]);
  }, 60_000);

  it('test:e2e -- <file> lists only that file', async () => {
    expect(await listedBy('test:e2e', ['test/customers.e2e-spec.ts'])).toEqual([
      'test/customers.e2e-spec.ts',
    ]);
  }, 60_000);

  it('test:e2e -- --testPathIgnorePatterns generator (.ci/run) lists every e2e suite but that one', async () => {
    const listed = await listedBy('test:e2e', ['--testPathIgnorePatterns', 'generator']);
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.every((path) => path.endsWith('.e2e-spec.ts'))).toBe(true);
    expect(listed).not.toContain('test/generator.e2e-spec.ts');
  }, 60_000);
});

describe('the install commands', () => {
  it("the README's install without engine warnings runs npm on the Node the project installs (decision 0197)", async () => {
    const { devDependencies } = JSON.parse(await readFile('package.json', 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain(`npx -p node@${devDependencies.node} npm ci`);
  });
});
