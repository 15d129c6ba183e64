import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from './page.js';

/** `?limit=&cursor=` on every list route. */
export class PageQueryDto implements PageRequest {
  /** Rows per page. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}
