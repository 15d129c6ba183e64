import { requestHash } from './idempotency-keys.js';

describe('requestHash', () => {
  const body = { customerId: 'c', items: [{ productId: 'p', quantity: 1 }] };

  it('ignores the order of keys', () => {
    expect(requestHash({ items: [{ quantity: 1, productId: 'p' }], customerId: 'c' })).toBe(
      requestHash(body),
    );
  });

  it('differs when any value or the order of items differs', () => {
    expect(requestHash({ ...body, items: [{ productId: 'p', quantity: 2 }] })).not.toBe(
      requestHash(body),
    );
    const two = [
      { productId: 'a', quantity: 1 },
      { productId: 'b', quantity: 1 },
    ];
    expect(requestHash({ ...body, items: two })).not.toBe(
      requestHash({ ...body, items: [...two].reverse() }),
    );
  });
});
