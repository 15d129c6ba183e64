import type { Actor } from '../actor.js';
import { InvalidAccessToken } from '../auth.errors.js';
import { RevocationList } from './revocation-list.js';
import type { AccountChanged } from './revocation-notice.js';

const T0 = 1_800_000_000_000;
const REMEMBER_MS = 900_000;
const ada: Actor = { userId: 'u-ada', role: 'admin', customerId: null, sessionId: 's-1' };
const legacy: Actor = { userId: 'u-ada', role: 'admin', customerId: null, issuedAt: T0 / 1000 };
const account = (change: Partial<AccountChanged>): AccountChanged => ({
  kind: 'account',
  userId: 'u-ada',
  role: 'admin',
  status: 'active',
  signedOutAt: null,
  at: T0,
  ...change,
});

describe('RevocationList', () => {
  it('admits any actor it has heard nothing about, unchanged', () => {
    const list = new RevocationList(REMEMBER_MS);
    expect(list.admit(ada)).toBe(ada);
  });

  it('refuses a token of an ended session, and only of that session', () => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply({ kind: 'sessions', sessionIds: ['s-1'], at: T0 });
    expect(() => list.admit(ada)).toThrow(InvalidAccessToken);
    expect(list.admit({ ...ada, sessionId: 's-2' })).toEqual({ ...ada, sessionId: 's-2' });
  });

  it.each(['disabled', 'deleted'] as const)('refuses every token of a %s account', (status) => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply(account({ status, role: status === 'deleted' ? null : 'admin' }));
    expect(() => list.admit(ada)).toThrow(InvalidAccessToken);
    expect(() => list.admit(legacy)).toThrow(InvalidAccessToken);
  });

  it('answers a demoted admin with the role the account has now', () => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply(account({ role: 'customer' }));
    expect(list.admit(ada)).toEqual({ ...ada, role: 'customer' });
  });

  it('refuses tokens without a session issued up to a sign-out, not those issued after it', () => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply(account({ signedOutAt: T0 }));
    expect(() => list.admit(legacy)).toThrow(InvalidAccessToken);
    expect(() => list.admit({ ...legacy, issuedAt: undefined })).toThrow(InvalidAccessToken);
    expect(list.admit({ ...legacy, issuedAt: T0 / 1000 + 1 })).toEqual({
      ...legacy,
      issuedAt: T0 / 1000 + 1,
    });
    // A token with a session is ended with its session, by id.
    expect(list.admit(ada)).toBe(ada);
  });

  it('keeps the later of two notices about one account, whatever their order of arrival', () => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply(account({ status: 'active', at: T0 + 10 }));
    list.apply(account({ status: 'disabled', at: T0 }));
    expect(list.admit(ada)).toBe(ada);
  });

  it('forgets what no live token can concern, but not a disabled account', () => {
    const list = new RevocationList(REMEMBER_MS);
    list.apply({ kind: 'sessions', sessionIds: ['s-1'], at: T0 });
    list.apply(account({ userId: 'u-bob', role: 'customer' }));
    list.apply(account({ status: 'disabled' }));
    list.forgetOlderThanRemembered(T0 + REMEMBER_MS + 1);
    const bob: Actor = { userId: 'u-bob', role: 'admin', customerId: null };
    expect(list.admit(bob)).toBe(bob);
    expect(() => list.admit({ ...ada, sessionId: 's-other' })).toThrow(InvalidAccessToken);
    list.apply(account({ status: 'active', at: T0 + 1 }));
    expect(list.admit(ada)).toBe(ada);
  });
});
