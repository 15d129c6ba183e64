import { MAX_LINE_QUANTITY, MAX_ORDER_LINES, MAX_ORDER_TOTAL_CENTS } from './order.limits.js';
import { MAX_PRICE_CENTS, MAX_STOCK } from '../products/product.limits.js';

describe('order limits', () => {
  it('keep every possible total an exact JavaScript integer', () => {
    expect(MAX_ORDER_TOTAL_CENTS).toBe(MAX_PRICE_CENTS * MAX_LINE_QUANTITY * MAX_ORDER_LINES);
    expect(Number.isSafeInteger(MAX_ORDER_TOTAL_CENTS)).toBe(true);
  });

  it('keep the units of one product on one order within a 32-bit quantity and the stock', () => {
    expect(MAX_LINE_QUANTITY * MAX_ORDER_LINES).toBeLessThan(2 ** 31);
    expect(MAX_LINE_QUANTITY * MAX_ORDER_LINES).toBeLessThanOrEqual(MAX_STOCK);
  });
});
