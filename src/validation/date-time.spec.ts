import { isCalendarDate, toTimestamp } from './date-time.js';

describe('dates and times in request bodies', () => {
  it.each(['2026-12-31', '2028-02-29'])('takes the day %s', (day) => {
    expect(isCalendarDate(day)).toBe(true);
  });

  it.each([
    '2026-02-30',
    '2027-02-29',
    '2026-1-01',
    '0000-01-01',
    '2026-01-01T00:00:00Z',
    20260101,
  ])('refuses %s as a day', (day) => {
    expect(isCalendarDate(day)).toBe(false);
  });

  it('reads an instant with a time zone as a Date', () => {
    expect(toTimestamp({ value: '2026-12-31T23:30:00+02:00' })).toEqual(
      new Date('2026-12-31T21:30:00.000Z'),
    );
  });

  it.each([
    '2026-12-31T10:00:00',
    '2026-02-30T10:00:00Z',
    '0000-01-01T00:00:00Z',
    'soon',
    1767225600000,
  ])('passes %s on unchanged, for the validator to refuse', (value) => {
    expect(toTimestamp({ value })).toBe(value);
  });
});
