import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OIDC_SETTINGS } from './oidc.tokens.js';
import type { OidcSettings } from './oidc-settings.js';
import { ProviderKeys } from './provider-keys.js';

/** The built-in mode's variables, which one configuration may keep while it switches modes. */
const BUILT_IN_VARIABLES = ['JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'] as const;

/**
 * At start: one warning line when built-in variables are set (they are ignored in this mode), and
 * one attempt at discovery, for /docs. A provider that is down does not stop Keel: it is logged and
 * counted (ProviderRequests), and keys are fetched when a token needs them.
 */
@Injectable()
export class OidcStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Oidc');

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly keys: ProviderKeys,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The raw environment: the validated one fills in defaults nobody set.
    const ignored = BUILT_IN_VARIABLES.filter((name) => process.env[name]);
    if (ignored.length > 0) {
      this.logger.warn(
        `${ignored.join(', ')} ignored: OIDC_ISSUER is set, accounts sign in with ${this.settings.issuer}`,
      );
    }
    await this.keys.metadata().catch(() => undefined);
  }
}
