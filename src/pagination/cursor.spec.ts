import { InvalidCursor, decodeCursor, encodeCursor } from './cursor.js';

describe('cursor', () => {
  it('round-trips the sort key of the last row', () => {
    const values = ['2026-01-01T00:00:00.000Z', '0190b3a0-0000-7000-8000-000000000000'];
    expect(decodeCursor(encodeCursor(values), 2)).toEqual(values);
  });

  it('is opaque URL-safe text', () => {
    expect(encodeCursor(['a/b+c', 1])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', '%%%'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['not an array', encodeCursor({ a: 1 } as never)],
    ['the wrong arity', encodeCursor(['only one'])],
    ['nested values', Buffer.from(JSON.stringify([{ a: 1 }, 2])).toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(InvalidCursor);
  });
});
