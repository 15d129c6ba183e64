import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeListenBacklog, kernelSomaxconn } from './listen-backlog.js';

describe('listen backlog', () => {
  it('reads somaxconn from the file the kernel exposes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'somaxconn-')), 'somaxconn');
    writeFileSync(file, '4096\n');
    expect(kernelSomaxconn(file)).toBe(4096);
  });

  it('knows no somaxconn where the file is missing or unreadable as a number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'somaxconn-'));
    writeFileSync(join(dir, 'garbage'), 'n/a\n');
    expect(kernelSomaxconn(join(dir, 'missing'))).toBeUndefined();
    expect(kernelSomaxconn(join(dir, 'garbage'))).toBeUndefined();
  });

  it('says when the kernel caps LISTEN_BACKLOG at somaxconn', () => {
    expect(describeListenBacklog(16_384, 4096)).toBe(
      'listen backlog 4096 (LISTEN_BACKLOG 16384, capped by net.core.somaxconn)',
    );
  });

  it('states the backlog as asked when the kernel allows it or does not say', () => {
    expect(describeListenBacklog(16_384, 65_535)).toBe('listen backlog 16384');
    expect(describeListenBacklog(1024, undefined)).toBe('listen backlog 1024');
  });
});
