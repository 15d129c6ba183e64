import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { IsOmittable } from '../../../validation/presence.js';
import { MaxChars } from '../../../validation/text-length.js';
import { toBoolean } from '../../../validation/to-boolean.js';
import { PRODUCT_SORT_FIELDS } from '../products.repository.js';

const SORTS = PRODUCT_SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

/** `?q=&active=&minPriceCents=&maxPriceCents=&sort=` plus the page parameters. */
export class ProductListQuery extends PageQueryDto {
  /** Name contains this, any letter case. */
  @IsOmittable()
  @IsString()
  @MaxChars(200)
  q?: string;

  /** `false`: inactive (draft) products, which only admins see; anyone else gets an empty page. */
  @IsOmittable()
  @Transform(toBoolean())
  @IsBoolean()
  active?: boolean;

  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minPriceCents?: number;

  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxPriceCents?: number;

  /** `priceCents`, `name` or `createdAt`; a `-` prefix sorts descending. Default `createdAt`. */
  @IsOmittable()
  @IsIn(SORTS, { message: `sort must be one of ${SORTS.join(', ')}` })
  sort: string = 'createdAt';
}
