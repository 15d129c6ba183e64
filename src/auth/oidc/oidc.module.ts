import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../../config/config.module.js';
import { OpenApiAmendment } from '../../http/openapi-amendment.js';
import { AccessTokenClaims } from '../access-token-claims.js';
import { AccountLinks } from './account-links.js';
import { BuiltInRoutesOff } from './built-in-routes-off.guard.js';
import { OidcMetrics } from './oidc.metrics.js';
import { OIDC_SETTINGS } from './oidc.tokens.js';
import { oidcSettings, type OidcSettings } from './oidc-settings.js';
import { OidcStartup } from './oidc-startup.js';
import { ProviderFlowsInDocs } from './provider-flows.openapi.js';
import { ProviderKeys } from './provider-keys.js';
import { ProviderRequests } from './provider-requests.js';
import { ProviderTokenClaims } from './provider-token-claims.js';

/**
 * Identity from the team's OpenID provider (decision 0165): Keel is a resource server that accepts
 * the provider's access tokens for OIDC_AUDIENCE and keeps no passwords. Installed instead of
 * BuiltInIdentityModule when OIDC_ISSUER is set (src/identity.ts).
 */
@Module({})
export class OidcModule {
  /** `accounts`: the module that provides ExternalAccounts (the accounts domain). */
  static forAccounts(accounts: Type): DynamicModule {
    return {
      module: OidcModule,
      global: true,
      imports: [accounts],
      providers: [
        {
          provide: OIDC_SETTINGS,
          inject: [ConfigService],
          useFactory: (config: AppConfig) => oidcSettings(config),
        },
        OidcMetrics,
        {
          provide: ProviderRequests,
          inject: [OidcMetrics, OIDC_SETTINGS],
          useFactory: (metrics: OidcMetrics, settings: OidcSettings) =>
            new ProviderRequests(metrics, settings.jwksCooldownMs),
        },
        ProviderKeys,
        AccountLinks,
        ProviderTokenClaims,
        { provide: AccessTokenClaims, useExisting: ProviderTokenClaims },
        { provide: OpenApiAmendment, useClass: ProviderFlowsInDocs },
        { provide: APP_GUARD, useClass: BuiltInRoutesOff },
        OidcStartup,
      ],
      exports: [AccessTokenClaims, OpenApiAmendment],
    };
  }
}
