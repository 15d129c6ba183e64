import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AppConfig } from '../config/config.module.js';

export type Load = 'normal' | 'high';

const WINDOW_MS = 500;

/**
 * Event-loop delay from `perf_hooks`, as the p99 over the last second (two half-second windows): when the loop lags
 * beyond the threshold, every request already waits that long, so the load is high. Computed by a
 * timer, not per request: reading it is free on the hot path.
 */
@Injectable()
export class EventLoopLoad implements OnModuleDestroy {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly thresholdMs: number;
  private readonly timer: NodeJS.Timeout;
  private lastDelayMs = 0;
  private previousWindowMs = 0;
  private load: Load = 'normal';

  constructor(@Inject(ConfigService) config: AppConfig) {
    this.thresholdMs = config.get('LOAD_HIGH_EVENT_LOOP_DELAY_MS', { infer: true });
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(), WINDOW_MS).unref();
  }

  current(): Load {
    return this.load;
  }

  /** p99 event-loop delay over the last second, in milliseconds. */
  delayMs(): number {
    return this.lastDelayMs;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  /** The worse of the last two windows, so one quiet half-second does not hide an overload. */
  private roll(): void {
    const windowMs = this.histogram.percentile(99) / 1e6;
    this.lastDelayMs = Math.max(windowMs, this.previousWindowMs);
    this.previousWindowMs = windowMs;
    this.load = this.lastDelayMs > this.thresholdMs ? 'high' : 'normal';
    this.histogram.reset();
  }
}
