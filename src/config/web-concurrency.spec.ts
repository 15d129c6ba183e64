import { availableParallelism } from 'node:os';
import { validateEnvironment } from './environment.js';
import { requestedWorkers } from './web-concurrency.js';

describe('WEB_CONCURRENCY', () => {
  it('is 1, a single process, when unset', () => {
    expect(requestedWorkers(undefined)).toBe(1);
    expect(validateEnvironment({}).WEB_CONCURRENCY).toBe(1);
  });

  it('takes a whole number, or auto for one worker per available core', () => {
    expect(validateEnvironment({ WEB_CONCURRENCY: '4' }).WEB_CONCURRENCY).toBe(4);
    expect(validateEnvironment({ WEB_CONCURRENCY: 'auto' }).WEB_CONCURRENCY).toBe(
      availableParallelism(),
    );
    expect(requestedWorkers('auto')).toBe(availableParallelism());
  });

  it('leaves anything else to validation, which names it in one line', () => {
    for (const value of ['0', 'lots', '-2', '1.5', '257']) {
      expect(() => validateEnvironment({ WEB_CONCURRENCY: value })).toThrow(
        /^Invalid configuration: WEB_CONCURRENCY must be a whole number from 1 to 256, or auto$/,
      );
    }
  });
});
