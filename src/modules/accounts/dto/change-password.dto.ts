import { IsString } from 'class-validator';
import { MaxChars } from '../../../validation/text-length.js';
import { MAX_PASSWORD_LENGTH } from '../../../auth/password-policy.js';

export class ChangePasswordDto {
  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  currentPassword!: string;

  /** At least 12 characters and not the email (checked by the service); at most 256. */
  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  newPassword!: string;
}
