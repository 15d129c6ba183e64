import { MAX_PRICE_CENTS } from '../products/product.limits.js';

/** The most units of one product on one order line. */
export const MAX_LINE_QUANTITY = 10_000;

/** The most lines on one order (lines of the same product add up). */
export const MAX_ORDER_LINES = 100;

/**
 * The largest total an order can reach within the limits: 2 × 10^15 cents, below 2^53, so totals
 * computed in JavaScript are exact and fit the bigint money columns (a unit spec checks it).
 */
export const MAX_ORDER_TOTAL_CENTS = MAX_PRICE_CENTS * MAX_LINE_QUANTITY * MAX_ORDER_LINES;
