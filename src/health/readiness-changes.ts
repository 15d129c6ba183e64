import { Injectable } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.service.js';

/**
 * Counts each change of the readiness answer (200 ↔ 503) in `health_readiness_changes_total`: a
 * counter sees flapping that happens between two scrapes, where a 0/1 gauge would miss it.
 */
@Injectable()
export class ReadinessChanges {
  private lastReady?: boolean;

  constructor(private readonly metrics: Metrics) {}

  record(ready: boolean): void {
    if (this.lastReady !== undefined && this.lastReady !== ready) {
      this.metrics.readinessChanges.inc();
    }
    this.lastReady = ready;
  }
}
