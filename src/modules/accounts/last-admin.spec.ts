import { LastActiveAdmin } from './account.errors.js';
import { keepAnActiveAdmin, mayRemoveAnAdmin } from './last-admin.js';

const admin = { role: 'admin', disabled: false } as const;
const disabledAdmin = { role: 'admin', disabled: true } as const;
const customer = { role: 'customer', disabled: false } as const;

describe('keepAnActiveAdmin', () => {
  it.each([
    ['a demotion', customer],
    ['a disabling', disabledAdmin],
    ['a deletion', undefined],
  ])('refuses %s of the last active admin', (_, after) => {
    expect(mayRemoveAnAdmin(admin, after)).toBe(true);
    expect(() => keepAnActiveAdmin('a1', admin, after, ['a1'])).toThrow(LastActiveAdmin);
  });

  it('allows it while another active admin is left', () => {
    expect(() => keepAnActiveAdmin('a1', admin, customer, ['a1', 'a2'])).not.toThrow();
  });

  it('leaves changes that keep the admin active, or concern no active admin, alone', () => {
    expect(mayRemoveAnAdmin(admin, admin)).toBe(false);
    expect(mayRemoveAnAdmin(customer, undefined)).toBe(false);
    expect(mayRemoveAnAdmin(disabledAdmin, customer)).toBe(false);
    expect(() => keepAnActiveAdmin('c1', customer, undefined, [])).not.toThrow();
    expect(() => keepAnActiveAdmin('a1', disabledAdmin, undefined, [])).not.toThrow();
  });
});
