import { IsString } from 'class-validator';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { IsOmittable } from '../../../validation/presence.js';
import { MaxChars } from '../../../validation/text-length.js';
import { USER_TEXT_LIMITS } from '../user.entity.js';

/** `?email=` plus the page parameters. */
export class UserListQuery extends PageQueryDto {
  /** Only the account with this email, whatever its letter case. */
  @IsOmittable()
  @IsString()
  @MaxChars(USER_TEXT_LIMITS.email)
  email?: string;
}
