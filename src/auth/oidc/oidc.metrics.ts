import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../../metrics/metrics.service.js';

/** What Keel asked of the OpenID provider and how it went: a provider down shows here and in the log. */
@Injectable()
export class OidcMetrics {
  readonly providerRequests: Counter<'document' | 'outcome'>;

  constructor(metrics: Metrics) {
    this.providerRequests = new Counter({
      name: 'oidc_provider_requests_total',
      help: 'Requests to the OpenID provider by document (discovery, jwks) and outcome (ok, failed, skipped: within the cooldown after a failure)',
      labelNames: ['document', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }
}
