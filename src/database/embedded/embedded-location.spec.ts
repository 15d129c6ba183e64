import { machineDataDir } from './embedded-location.js';

describe('machineDataDir', () => {
  it('gives each clone its own folder, named after it, and the same one on every start', () => {
    const first = machineDataDir('/root/keel/.data/postgres', '/var/lib/keel');
    expect(first).toMatch(/^\/var\/lib\/keel\/keel-[0-9a-f]{8}\/postgres$/);
    expect(machineDataDir('/root/keel/.data/postgres', '/var/lib/keel')).toBe(first);
    expect(machineDataDir('/tmp/tmp.x/keel/.data/postgres', '/var/lib/keel')).not.toBe(first);
  });

  it('keeps the servers of one clone side by side', () => {
    const app = machineDataDir('/root/keel/.data/postgres', '/var/lib/keel');
    const tests = machineDataDir('/root/keel/.data/test-postgres', '/var/lib/keel');
    expect(tests).toBe(app.replace(/postgres$/, 'test-postgres'));
  });
});
