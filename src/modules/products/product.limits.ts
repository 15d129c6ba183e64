/**
 * The largest price, in cents (20,000,000.00 in the currency). With the order limits
 * (src/modules/orders/order.limits.ts) it bounds every order total below 2^53, where JavaScript
 * numbers stop being exact; docs/decisions/0042-money-in-bigint-within-safe-integers.md.
 */
export const MAX_PRICE_CENTS = 2_000_000_000;

/** The most units of one product in stock (the column is a 32-bit integer). */
export const MAX_STOCK = 2_000_000_000;

/**
 * Name searches (`?q=`) that run at once in one process; the rest wait up to 2 s, then 503. A
 * search is a substring match, dearer than a read by key even through its index: twenty clients
 * searching without pause must leave the pool and the event loop to everyone else
 * (docs/decisions/0150-catalogue-search-and-drafts.md).
 */
export const SEARCH_LANE = { concurrency: 4, maxWaitMs: 2000 } as const;
