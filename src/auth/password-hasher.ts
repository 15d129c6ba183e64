import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

const scryptAsync = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

export interface ScryptCost {
  /** CPU/memory cost, a power of two; memory used is 128 * N * r bytes. */
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^17, r=8, p=1) costs ~128 MiB and ~0.3 s; this is the next step down. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * scrypt with a per-password random salt, stored as `scrypt$N$r$p$salt$hash` (base64) so the cost
 * can be raised later without breaking existing hashes. Comparison is constant-time.
 */
export class PasswordHasher {
  constructor(private readonly cost: ScryptCost = DEFAULT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await this.derive(password, salt, this.cost, KEY_LENGTH);
    const { N, r, p } = this.cost;
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number);
    const salt = Buffer.from(parts[4], 'base64');
    const expected = Buffer.from(parts[5], 'base64');
    const actual = await this.derive(password, salt, { N, r, p }, expected.length);
    return timingSafeEqual(actual, expected);
  }

  private derive(password: string, salt: Buffer, cost: ScryptCost, length: number) {
    // Node's default maxmem (32 MiB) is exactly 128 * 2^15 * 8: leave headroom.
    const maxmem = 256 * cost.N * cost.r;
    return scryptAsync(password.normalize('NFC'), salt, length, { ...cost, maxmem });
  }
}
