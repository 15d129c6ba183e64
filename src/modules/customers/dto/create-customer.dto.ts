import { IsEmail, IsString, Matches } from 'class-validator';
import { IsNullable } from '../../../validation/presence.js';
import { CharLength, MaxChars } from '../../../validation/text-length.js';
import { Trim } from '../../../validation/trim.js';
import { CUSTOMER_TEXT_LIMITS } from '../customer.entity.js';

export class CreateCustomerDto {
  /** Full name as the customer writes it. */
  @Trim()
  @IsString()
  @CharLength(1, CUSTOMER_TEXT_LIMITS.name)
  name!: string;

  /** Unique whatever the letter case. */
  @Trim()
  @IsEmail()
  @MaxChars(CUSTOMER_TEXT_LIMITS.email)
  email!: string;

  /** E.164-like: digits, spaces, dashes, parentheses, an optional leading +. `null`: none. */
  @IsNullable()
  @Trim()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{5,32}$/, { message: 'phone must be a phone number' })
  @MaxChars(CUSTOMER_TEXT_LIMITS.phone)
  phone?: string | null;
}
