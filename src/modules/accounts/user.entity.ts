import { defineEntity, p } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { ROLES } from '../../auth/roles.js';
import { Customer } from '../customers/customer.entity.js';
import { UsersRepository } from './users.repository.js';

/** Column lengths in characters; the request DTOs check the same numbers (CharLength). */
export const USER_TEXT_LIMITS = { email: 320 } as const;

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  repository: () => UsersRepository,
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => uuidv7()),
    email: p.string().length(USER_TEXT_LIMITS.email),
    // `scrypt$N$r$p$salt$hash` (see src/auth/password-hasher.ts); never serialized.
    passwordHash: p.string().length(255).hidden(),
    role: p.enum(ROLES),
    // A disabled account cannot log in or refresh, and its tokens are refused at once (issue 22).
    disabled: p.boolean().default(false),
    // The customer record this account acts as; admins have none. Deleting the record keeps the login.
    customer: p.oneToOne(Customer).owner().nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
    // OIDC mode (decision 0166): the provider's issuer and subject that this account is; null for
    // built-in accounts. OpenID Connect Core §2 bounds `sub` at 255 ASCII characters.
    oidcIssuer: p.string().length(2048).nullable(),
    oidcSubject: p.string().length(255).nullable(),
  },
  uniques: [
    { name: 'users_oidc_identity_unique', properties: ['oidcIssuer', 'oidcSubject'] },
    {
      name: 'users_email_lower_unique',
      expression: 'create unique index "users_email_lower_unique" on "users" (lower("email"))',
    },
  ],
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
