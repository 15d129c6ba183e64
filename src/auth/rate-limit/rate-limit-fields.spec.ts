import { appendItem, policyItem, remainingItem } from './rate-limit-fields.js';

describe('RateLimit fields', () => {
  it('writes a policy as a quoted name with q (quota) and w (window, seconds)', () => {
    expect(policyItem('auth-ip', 5, 60)).toBe('"auth-ip";q=5;w=60');
  });

  it('writes what is left as r (remaining) and t (seconds to reset), never below 0', () => {
    expect(remainingItem('global', 29, 58)).toBe('"global";r=29;t=58');
    expect(remainingItem('global', -3, 12)).toBe('"global";r=0;t=12');
  });

  it('lists a second policy after the first, comma-separated', () => {
    expect(appendItem(undefined, '"global";r=1;t=5')).toBe('"global";r=1;t=5');
    expect(appendItem('"global";r=1;t=5', '"auth-ip";r=4;t=9')).toBe(
      '"global";r=1;t=5, "auth-ip";r=4;t=9',
    );
  });
});
