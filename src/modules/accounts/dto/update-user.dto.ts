import { IsBoolean, IsIn } from 'class-validator';
import { ROLES, type Role } from '../../../auth/roles.js';
import { IsOmittable } from '../../../validation/presence.js';

/** What an admin may change of an account; a field left out stays as it is. */
export class UpdateUserDto {
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  /** `true`: the account can no longer log in or refresh, and its tokens are refused at once. */
  @IsOmittable()
  @IsBoolean()
  disabled?: boolean;
}
