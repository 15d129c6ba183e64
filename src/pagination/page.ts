export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** The longest `cursor` accepted; every `nextCursor` Keel writes is far shorter. */
export const MAX_CURSOR_LENGTH = 1024;

export interface PageRequest {
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A page of entities as a page of response shapes: `renderPage(page, CustomerResponse.from)`. */
export function renderPage<T, R>(page: Page<T>, render: (item: T) => R): Page<R> {
  return { items: page.items.map((item) => render(item)), nextCursor: page.nextCursor };
}
