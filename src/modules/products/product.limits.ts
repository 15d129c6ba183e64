/**
 * The largest price, in cents (20,000,000.00 in the currency). With the order limits
 * (src/modules/orders/order.limits.ts) it bounds every order total below 2^53, where JavaScript
 * numbers stop being exact; docs/decisions/0042-money-in-bigint-within-safe-integers.md.
 */
export const MAX_PRICE_CENTS = 2_000_000_000;

/** The most units of one product in stock (the column is a 32-bit integer). */
export const MAX_STOCK = 2_000_000_000;
