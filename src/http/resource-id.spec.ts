import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { IsId, ParseIdPipe } from './resource-id.js';

const ID = '01a21341-fb61-77f4-8b35-431ce5f20feb';

class Body {
  @IsId()
  customerId!: string;

  @IsId({ optional: true })
  productId?: string;
}

describe('ids at the edge', () => {
  const pipe = new ParseIdPipe();
  const param = { type: 'param', data: 'id' } as const;

  it('lower-cases a path id in any letter case', async () => {
    await expect(pipe.transform(ID.toUpperCase(), param)).resolves.toBe(ID);
    await expect(pipe.transform(ID, param)).resolves.toBe(ID);
  });

  it('refuses a malformed path id with 400', async () => {
    await expect(pipe.transform(`${ID}x`, param)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('lower-cases body and query ids, and validates them', async () => {
    const body = plainToInstance(Body, { customerId: ID.toUpperCase(), productId: ID });
    expect(body).toMatchObject({ customerId: ID, productId: ID });
    expect(await validate(body)).toEqual([]);
  });

  it('lets an optional id be absent, and refuses a required one that is not an id', async () => {
    const errors = await validate(plainToInstance(Body, { customerId: 42 }));
    expect(errors.map((error) => error.property)).toEqual(['customerId']);
  });
});
