import { formatLsn, parseLsn } from './lsn.js';

describe('WAL positions', () => {
  it('reads PostgreSQL’s text and writes it back', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
  });

  it('orders positions across the high half', () => {
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
  });

  it.each(['', '0', '0/', '/1', '1/2/3', 'G/1', '123456789/0', ' 0/1', '0/1 ', '-1/0', '0x1/0'])(
    'refuses %j',
    (text) => {
      expect(parseLsn(text)).toBeUndefined();
    },
  );
});
