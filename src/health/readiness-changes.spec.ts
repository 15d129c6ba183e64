import { Metrics } from '../metrics/metrics.service.js';
import { ReadinessChanges } from './readiness-changes.js';

describe('ReadinessChanges', () => {
  const changesAfter = async (answers: boolean[]): Promise<number> => {
    const metrics = new Metrics();
    const changes = new ReadinessChanges(metrics);
    for (const ready of answers) changes.record(ready);
    return (await metrics.readinessChanges.get()).values[0].value;
  };

  it('counts each change between ready and not ready, not each answer', async () => {
    expect(await changesAfter([true, true, true])).toBe(0);
    expect(await changesAfter([false, true, true])).toBe(1);
    expect(await changesAfter([true, false, true, false, false, true])).toBe(4);
  });
});
