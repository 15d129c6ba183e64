import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsNullable, IsOmittable } from '../../../validation/presence.js';
import { CharLength, MaxChars } from '../../../validation/text-length.js';
import { Trim } from '../../../validation/trim.js';
import { PRODUCT_TEXT_LIMITS } from '../product.entity.js';
import { MAX_PRICE_CENTS, MAX_STOCK } from '../product.limits.js';

export class CreateProductDto {
  /** Stock-keeping unit, unique: letters, digits, `-`, `_`, `.`. */
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'sku must be letters, digits, ., _ or -' })
  @CharLength(1, PRODUCT_TEXT_LIMITS.sku)
  sku!: string;

  @Trim()
  @IsString()
  @CharLength(1, PRODUCT_TEXT_LIMITS.name)
  name!: string;

  /** `null`: none. */
  @IsNullable()
  @IsString()
  @MaxChars(5000)
  description?: string | null;

  /** Price in the currency's minor unit (cents), at most 2,000,000,000. */
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  priceCents!: number;

  /** ISO 4217 code, e.g. `EUR`. */
  @IsString()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency!: string;

  /** Units available to order. */
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;

  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}
