import { DriverException } from '@mikro-orm/core';
import { isStillReferenced, stillReferencedBy } from './still-referenced.js';

const refused = (fields: Record<string, string>) =>
  new DriverException(Object.assign(new Error('violates foreign key constraint'), fields));

describe('a delete refused by a foreign key', () => {
  it('is recognised by its SQLSTATE (RESTRICT)', () => {
    expect(isStillReferenced(refused({ code: '23001' }))).toBe(true);
    expect(isStillReferenced(refused({ code: '23505' }))).toBe(false);
  });

  it('names the referencing table the database reports, in words', () => {
    expect(stillReferencedBy(refused({ code: '23001', table: 'orders' }))).toBe('orders');
    expect(stillReferencedBy(refused({ code: '23001', table: 'line_items' }))).toBe('line items');
  });

  it('says "other rows" when the database names no table', () => {
    expect(stillReferencedBy(refused({ code: '23001' }))).toBe('other rows');
  });
});
