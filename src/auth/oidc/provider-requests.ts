import { Logger } from '@nestjs/common';
import { CooldownGate } from './cooldown-gate.js';
import type { OidcMetrics } from './oidc.metrics.js';

export type ProviderDocument = 'discovery' | 'jwks';

/** Refused without a request: the provider failed less than the cooldown ago. */
export class ProviderCoolingDown extends Error {
  constructor(document: ProviderDocument) {
    super(`not asking the OpenID provider for its ${document} again yet (it failed recently)`);
    this.name = 'ProviderCoolingDown';
  }
}

/**
 * Every request Keel makes to the provider goes through here: counted by outcome, a failure
 * logged, and none at all within the cooldown after one (per document).
 */
export class ProviderRequests {
  private readonly logger = new Logger('OidcProvider');
  private readonly gates = new Map<ProviderDocument, CooldownGate>();

  constructor(
    private readonly metrics: OidcMetrics,
    private readonly cooldownMs: number,
  ) {}

  /** Runs one request to the provider (`attempt` throws when the answer is unusable). */
  async run<T>(document: ProviderDocument, attempt: () => Promise<T>): Promise<T> {
    const gate = this.gateOf(document);
    if (!gate.open) {
      this.metrics.providerRequests.inc({ document, outcome: 'skipped' });
      throw new ProviderCoolingDown(document);
    }
    try {
      const result = await attempt();
      gate.succeeded();
      this.metrics.providerRequests.inc({ document, outcome: 'ok' });
      return result;
    } catch (error) {
      gate.failed();
      this.metrics.providerRequests.inc({ document, outcome: 'failed' });
      this.logger.warn(
        { err: error },
        `the OpenID provider's ${document} could not be fetched: ${String(error)}; next attempt in ${this.cooldownMs} ms at the earliest`,
      );
      throw error;
    }
  }

  private gateOf(document: ProviderDocument): CooldownGate {
    let gate = this.gates.get(document);
    if (!gate) this.gates.set(document, (gate = new CooldownGate(this.cooldownMs)));
    return gate;
  }
}
