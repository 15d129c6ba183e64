import type { Role } from '../roles.js';

/** Who the provider says the caller is. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  role: Role;
  /** For a new customer record: the token's `name` or `preferred_username`, else the subject. */
  name: string;
}

export interface LinkedAccount {
  userId: string;
  /** The customer record the account acts as; `null` when it has none (admins). */
  customerId: string | null;
}

/**
 * The accounts domain's side of OIDC mode (src/auth knows no domain): find the account of an
 * (issuer, subject), or create it with its customer record. Provided by the accounts module.
 */
export abstract class ExternalAccounts {
  abstract link(identity: ExternalIdentity): Promise<LinkedAccount>;
}
