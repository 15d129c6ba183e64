import type { AppConfig } from '../config/config.module.js';
import { EventLoopLoad } from './event-loop-load.js';

const configWithThreshold = (ms: number): AppConfig => ({ get: () => ms }) as unknown as AppConfig;

describe('EventLoopLoad', () => {
  it('reports high load after the event loop was blocked beyond the threshold, then normal again', async () => {
    const load = new EventLoopLoad(configWithThreshold(50));
    try {
      expect(load.current()).toBe('normal');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // Block the loop, as a CPU-bound request would.
      }
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(load.delayMs()).toBeGreaterThan(50);
      expect(load.current()).toBe('high');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(load.current()).toBe('normal');
    } finally {
      load.onModuleDestroy();
    }
  });
});
