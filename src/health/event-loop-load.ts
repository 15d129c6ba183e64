import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AppConfig } from '../config/config.module.js';

export type Load = 'normal' | 'high';

const WINDOW_MS = 1000;

/**
 * Event-loop delay over the last second, from `perf_hooks`: when the loop lags beyond the
 * threshold (p99 of the window), every request already waits that long, so the load is high.
 */
@Injectable()
export class EventLoopLoad implements OnModuleDestroy {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly thresholdNs: number;
  private lastP99Ns = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(ConfigService) config: AppConfig) {
    this.thresholdNs = config.get('LOAD_HIGH_EVENT_LOOP_DELAY_MS', { infer: true }) * 1e6;
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(), WINDOW_MS).unref();
  }

  current(): Load {
    const p99 = Math.max(this.lastP99Ns, this.histogram.percentile(99));
    return p99 > this.thresholdNs ? 'high' : 'normal';
  }

  /** p99 event-loop delay of the last full window, in milliseconds. */
  delayMs(): number {
    return this.lastP99Ns / 1e6;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private roll(): void {
    this.lastP99Ns = this.histogram.percentile(99);
    this.histogram.reset();
  }
}
