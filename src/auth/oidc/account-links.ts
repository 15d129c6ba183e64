import { Injectable } from '@nestjs/common';
import {
  ExternalAccounts,
  type ExternalIdentity,
  type LinkedAccount,
} from './external-accounts.js';

/** Identities remembered; beyond it the oldest is forgotten (and costs one query when it returns). */
const LINKS_KEPT = 10_000;

/**
 * (issuer, subject, role) → account, kept in memory: once known, an authenticated request costs no
 * database round trip, even with a token Keel has not seen (the provider issues a new one every few
 * minutes). The role is part of the key so that a customer role granted later gets its record.
 * Concurrent first requests of one identity share one lookup.
 */
@Injectable()
export class AccountLinks {
  private readonly known = new Map<string, LinkedAccount>();
  private readonly pending = new Map<string, Promise<LinkedAccount>>();

  constructor(private readonly accounts: ExternalAccounts) {}

  accountOf(identity: ExternalIdentity): Promise<LinkedAccount> {
    const key = `${identity.issuer}\n${identity.subject}\n${identity.role}`;
    const known = this.known.get(key);
    if (known) return Promise.resolve(known);
    let lookup = this.pending.get(key);
    if (!lookup) {
      lookup = this.accounts.link(identity).then(
        (account) => {
          this.pending.delete(key);
          if (this.known.size >= LINKS_KEPT) this.known.delete(this.known.keys().next().value!);
          this.known.set(key, Object.freeze({ ...account }));
          return account;
        },
        (error: unknown) => {
          this.pending.delete(key);
          throw error;
        },
      );
      this.pending.set(key, lookup);
    }
    return lookup;
  }
}
