import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  // A cheap cost keeps the unit test fast; the format carries the cost with each hash.
  const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });

  it('never stores the password and salts every hash', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).not.toContain('correct horse');
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[^$]+\$[^$]+$/);
    expect(first).not.toBe(second);
  });

  it('accepts the right password and refuses any other', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
  });

  it('verifies hashes made with another cost', async () => {
    const stored = await new PasswordHasher({ N: 2048, r: 8, p: 1 }).hash('another long password');
    await expect(hasher.verify('another long password', stored)).resolves.toBe(true);
  });

  it('refuses a stored value in an unknown format', async () => {
    await expect(hasher.verify('x', 'plain-text')).resolves.toBe(false);
  });
});
