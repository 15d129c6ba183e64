import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

export type ReadinessCheck = HealthIndicatorFunction;

/**
 * What must work for this instance to take traffic. The database check is built in; other modules
 * (the job queue) add theirs at start-up, so the health module need not know them.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): ReadinessCheck[] {
    return [...this.checks];
  }
}
