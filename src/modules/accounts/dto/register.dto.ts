import { IsEmail, IsString } from 'class-validator';
import { CUSTOMER_TEXT_LIMITS } from '../../customers/customer.entity.js';
import { USER_TEXT_LIMITS } from '../user.entity.js';
import { CharLength, MaxChars } from '../../../validation/text-length.js';
import { Trim } from '../../../validation/trim.js';
import { MAX_PASSWORD_LENGTH } from '../../../auth/password-policy.js';

export class RegisterDto {
  /** The login, unique whatever the letter case; also the new customer record's email. */
  @Trim()
  @IsEmail()
  @MaxChars(Math.min(USER_TEXT_LIMITS.email, CUSTOMER_TEXT_LIMITS.email))
  email!: string;

  /** At least 12 characters and not the email (checked by the service); at most 256. */
  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  password!: string;

  /** Full name for the customer record. */
  @Trim()
  @IsString()
  @CharLength(1, CUSTOMER_TEXT_LIMITS.name)
  name!: string;
}
