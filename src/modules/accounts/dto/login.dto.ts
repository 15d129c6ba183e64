import { IsString } from 'class-validator';
import { USER_TEXT_LIMITS } from '../user.entity.js';
import { MaxChars } from '../../../validation/text-length.js';
import { Trim } from '../../../validation/trim.js';
import { MAX_PASSWORD_LENGTH } from '../../../auth/password-policy.js';

export class LoginDto {
  // Not @IsEmail: a malformed email is just another wrong login, answered like the others.
  @Trim()
  @IsString()
  @MaxChars(USER_TEXT_LIMITS.email)
  email!: string;

  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  password!: string;
}
