import { type CustomerResponse } from './customer.response.js';

export class CustomerPageResponse {
  items!: CustomerResponse[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor!: string | null;
}
