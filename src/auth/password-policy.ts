import { WeakPassword } from './auth.errors.js';

export const MIN_PASSWORD_LENGTH = 12;
/** Longer passwords are refused before hashing: a bound on the work a caller can ask for. */
export const MAX_PASSWORD_LENGTH = 256;

/** NIST SP 800-63B style: length over composition rules, and nothing guessable from the account. */
export function checkPasswordPolicy(password: string, email: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new WeakPassword(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  const lowered = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (lowered === address || lowered === address.split('@')[0]) {
    throw new WeakPassword('The password must not be the email address.');
  }
}
