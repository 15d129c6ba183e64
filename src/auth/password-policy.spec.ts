import { WeakPassword } from './auth.errors.js';
import { checkPasswordPolicy } from './password-policy.js';

describe('checkPasswordPolicy', () => {
  it('accepts a password of 12 characters or more', () => {
    expect(() => checkPasswordPolicy('twelve chars', 'ada@example.com')).not.toThrow();
  });

  it.each([
    ['shorter than 12 characters', 'elevenchars', 'ada@example.com'],
    ['the email itself', 'ada.lovelace@example.com', 'ada.lovelace@example.com'],
    ['the email in another case', 'Ada.Lovelace@Example.com', 'ada.lovelace@example.com'],
    ['the local part of the email', 'ada.lovelace.1815', 'ada.lovelace.1815@example.com'],
  ])('refuses a password that is %s', (_, password, email) => {
    expect(() => checkPasswordPolicy(password, email)).toThrow(WeakPassword);
  });
});
