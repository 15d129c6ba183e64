import { execFileSync } from 'node:child_process';
import { kernelSomaxconn } from '../src/http/listen-backlog.js';
import { type BuiltApp, startBuiltApp } from './support/spawned-app.js';

/** The backlog the kernel gave the socket listening on `port`: `ss` shows it as Send-Q. */
function listenBacklogOf(port: number): number {
  const line = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const [, , sendQ] = line.split(/\s+/);
  return Number(sendQ);
}

describe('listen backlog', () => {
  let app: BuiltApp | undefined;
  afterEach(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    app = undefined;
  });

  it('listens with LISTEN_BACKLOG as its queue of connections not yet accepted', async () => {
    app = await startBuiltApp({ LISTEN_BACKLOG: '1000' });
    expect(listenBacklogOf(app.port)).toBe(1000);
  });

  it('asks for 16384 by default, which the kernel caps at somaxconn, and says so', async () => {
    app = await startBuiltApp({ LOG_LEVEL: 'info' });
    const somaxconn = kernelSomaxconn() ?? 16_384;
    expect(listenBacklogOf(app.port)).toBe(Math.min(16_384, somaxconn));
    expect(app.output()).toContain(`listen backlog ${Math.min(16_384, somaxconn)}`);
  });
});
