import { validate } from 'class-validator';
import { CharLength, codePointLength } from './text-length.js';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['a\ufe0f', 2],
    ['😀', 1],
    ['😀a😀', 3],
    ['\ud800', 1],
    ['\udc00\ud800', 2],
  ])('counts %j as %i characters, as PostgreSQL does', (text, length) => {
    expect(codePointLength(text)).toBe(length);
    if (text.isWellFormed()) expect([...text]).toHaveLength(length);
  });
});

describe('CharLength', () => {
  class Named {
    @CharLength(1, 3)
    name!: unknown;
  }
  const errorsFor = async (name: unknown): Promise<string[]> =>
    (await validate(Object.assign(new Named(), { name }))).flatMap((error) =>
      Object.values(error.constraints ?? {}),
    );

  it('accepts 1 to 3 code points', async () => {
    expect(await errorsFor('a')).toEqual([]);
    expect(await errorsFor('😀😀😀')).toEqual([]);
  });

  it('refuses what PostgreSQL would count as too long or too short, and non-strings', async () => {
    expect(await errorsFor('a\ufe0fa\ufe0f')).toEqual(['name must be 1 to 3 characters long']);
    expect(await errorsFor('')).toHaveLength(1);
    expect(await errorsFor(42)).toHaveLength(1);
  });
});
