import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateProductDto {
  /** Stock-keeping unit, unique: letters, digits, `-`, `_`, `.`. */
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'sku must be 1-64 letters, digits, ., _ or -' })
  sku!: string;

  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  /** Price in the currency's minor unit (cents). */
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  priceCents!: number;

  /** ISO 4217 code, e.g. `EUR`. */
  @IsString()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency!: string;

  /** Units available to order. */
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  stock!: number;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
