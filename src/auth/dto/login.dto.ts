import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class LoginDto {
  // Not @IsEmail: a malformed email is just another wrong login, answered like the others.
  @Transform(trim)
  @IsString()
  @MaxLength(320)
  email!: string;

  @IsString()
  @MaxLength(256)
  password!: string;
}
