import { parseTrustProxy } from './trust-proxy.js';

describe('parseTrustProxy', () => {
  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['127.0.0.1, 10.1.2.3', ['127.0.0.1', '10.1.2.3']],
    ['fd00::/8,::1', ['fd00::/8', '::1']],
  ])('reads %j', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });

  it('trusts that many hops for a number', () => {
    const trust = parseTrustProxy('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('10.0.0.1', hop))).toEqual([true, true, false]);
  });

  it.each(['0', '17', 'yes', '10.0.0.0/33', '10.0.0/8', 'proxy.local', '10.0.0.1/8/1', '::1/129'])(
    'refuses %j',
    (raw) => {
      expect(parseTrustProxy(raw)).toBeUndefined();
    },
  );
});
