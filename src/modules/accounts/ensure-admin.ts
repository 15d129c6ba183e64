import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { User } from './user.entity.js';
import type { UsersRepository } from './users.repository.js';
import type { PasswordHasher } from '../../auth/password-hasher.js';

export type AdminOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Makes sure an admin with exactly these credentials exists: created when missing, promoted and
 * given this password when the account exists otherwise. Run by the app at start and by the seed.
 * Several instances starting together may race: the loser's unique violation means it exists.
 */
export async function ensureAdmin(
  em: EntityManager,
  hasher: PasswordHasher,
  credentials: { email: string; password: string },
): Promise<AdminOutcome> {
  const users: UsersRepository = em.getRepository(User);
  const existing = await users.findByEmail(credentials.email);
  if (!existing) {
    users.create({
      email: credentials.email,
      passwordHash: await hasher.hash(credentials.password),
      role: 'admin',
      customer: null,
    });
    try {
      await em.flush();
      return 'created';
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return 'unchanged';
      throw error;
    }
  }
  const passwordMatches = await hasher.verify(credentials.password, existing.passwordHash);
  if (passwordMatches && existing.role === 'admin') return 'unchanged';
  existing.role = 'admin';
  if (!passwordMatches) existing.passwordHash = await hasher.hash(credentials.password);
  await em.flush();
  return 'updated';
}
