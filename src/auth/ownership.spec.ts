import type { Actor } from './actor.js';
import { canAccessCustomer, visibleCustomerIds } from './ownership.js';

const admin: Actor = { userId: 'u1', role: 'admin', customerId: null };
const ada: Actor = { userId: 'u2', role: 'customer', customerId: 'c-ada' };
const orphan: Actor = { userId: 'u3', role: 'customer', customerId: null };

describe('ownership', () => {
  it('lets an admin reach every customer', () => {
    expect(canAccessCustomer(admin, 'c-ada')).toBe(true);
    expect(visibleCustomerIds(admin)).toBeUndefined();
  });

  it('lets a customer reach only their own record', () => {
    expect(canAccessCustomer(ada, 'c-ada')).toBe(true);
    expect(canAccessCustomer(ada, 'c-bob')).toBe(false);
    expect(visibleCustomerIds(ada)).toEqual(['c-ada']);
  });

  it('shows nothing to a customer without a record', () => {
    expect(canAccessCustomer(orphan, 'c-ada')).toBe(false);
    expect(visibleCustomerIds(orphan)).toEqual([]);
  });
});
