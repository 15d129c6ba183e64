import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateCustomerDto {
  /** Full name as the customer writes it. */
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  /** Unique whatever the letter case. */
  @Transform(trim)
  @IsEmail()
  @MaxLength(320)
  email!: string;

  /** E.164-like: digits, spaces, dashes, parentheses, an optional leading +. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^\+?[0-9 ()-]{5,32}$/, { message: 'phone must be a phone number' })
  phone?: string | null;
}
