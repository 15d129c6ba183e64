import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class RegisterDto {
  /** The login, unique whatever the letter case; also the new customer record's email. */
  @Transform(trim)
  @IsEmail()
  @MaxLength(320)
  email!: string;

  /** At least 12 characters and not the email (checked by the service); at most 256. */
  @IsString()
  @MaxLength(256)
  password!: string;

  /** Full name for the customer record. */
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;
}
