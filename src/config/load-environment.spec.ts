import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from './load-environment.js';

describe('loadEnvironment', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keel-env-'));
    delete process.env.PORT;
    delete process.env.LOG_LEVEL;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the environment win over .env, and .env win over defaults', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=4000\nLOG_LEVEL=debug\n');
    process.env.PORT = '5000';
    const env = loadEnvironment(file);
    expect(env.PORT).toBe(5000);
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('works without a .env file', () => {
    expect(loadEnvironment(join(dir, 'missing.env')).PORT).toBe(3000);
  });
});
