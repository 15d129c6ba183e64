import type { Provider } from '@nestjs/common';
import { ExternalAccounts } from '../../auth/oidc/external-accounts.js';
import { AccountsService } from './accounts.service.js';

/** The accounts domain's answer to OIDC mode's ExternalAccounts (src/auth/oidc knows no domain). */
export const oidcAccounts: Provider = {
  provide: ExternalAccounts,
  inject: [AccountsService],
  useFactory: (accounts: AccountsService): ExternalAccounts => ({
    link: async (identity) => {
      const user = await accounts.findOrCreateByOidcIdentity(identity);
      return { userId: user.id, customerId: user.customer?.id ?? null };
    },
  }),
};
