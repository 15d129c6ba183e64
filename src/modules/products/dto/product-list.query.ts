import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { PRODUCT_SORT_FIELDS } from '../products.repository.js';

const SORTS = PRODUCT_SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** `?q=&active=&minPriceCents=&maxPriceCents=&sort=` plus the page parameters. */
export class ProductListQuery extends PageQueryDto {
  /** Name contains this, any letter case. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPriceCents?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxPriceCents?: number;

  /** `priceCents`, `name` or `createdAt`; a `-` prefix sorts descending. Default `createdAt`. */
  @IsOptional()
  @IsIn(SORTS, { message: `sort must be one of ${SORTS.join(', ')}` })
  sort: string = 'createdAt';
}
