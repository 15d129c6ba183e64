import { type ProductResponse } from './product.response.js';

export class ProductPageResponse {
  items!: ProductResponse[];
  /** Pass as `cursor` (with the same filters and sort) to get the next page; `null` on the last. */
  nextCursor!: string | null;
}
