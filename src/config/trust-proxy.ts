import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isIP } from 'node:net';

/**
 * What Fastify's `trustProxy` takes from TRUST_PROXY (decision 0057). A number of hops becomes the
 * function Fastify would make of it (Nest's adapter options leave the number out of their type).
 */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * TRUST_PROXY as Fastify's `trustProxy`: unset or `false` trusts no proxy (X-Forwarded-For is a
 * client's claim and is ignored), a number trusts that many hops in front of Keel, a list trusts
 * those proxy addresses or CIDR ranges, `true` trusts any sender (only behind a proxy that
 * overwrites the header). Undefined for a value that is none of these.
 */
export function parseTrustProxy(raw: string): TrustProxy | undefined {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= 16 ? (_address, hop) => hop < hops : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(isAddressOrRange) ? entries : undefined;
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** class-validator's check of TRUST_PROXY in Environment. */
@ValidatorConstraint({ name: 'trustProxy' })
export class IsTrustProxy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseTrustProxy(value) !== undefined;
  }

  defaultMessage(): string {
    return 'TRUST_PROXY must be false, true, a number of hops (1-16) or a comma-separated list of proxy addresses or CIDR ranges';
  }
}
