import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { IsOmittable } from '../validation/presence.js';
import { MaxChars } from '../validation/text-length.js';
import { DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE, type PageRequest } from './page.js';

/** `?limit=&cursor=` on every list route. */
export class PageQueryDto implements PageRequest {
  /** Rows per page. */
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page. */
  @IsOmittable()
  @IsString()
  @MaxChars(MAX_CURSOR_LENGTH)
  cursor?: string;
}
