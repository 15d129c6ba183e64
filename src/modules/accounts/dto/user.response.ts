import type { Role } from '../../../auth/roles.js';
import type { User } from '../user.entity.js';

/** What clients see of an account: explicit, so the password hash can never leak. */
export class UserResponse {
  id!: string;
  email!: string;
  role!: Role;
  /** The customer record this account acts as; `null` for admins. */
  customerId!: string | null;
  createdAt!: string;
  updatedAt!: string;

  static from(this: void, user: User): UserResponse {
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      customerId: user.customer?.id ?? null,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}
