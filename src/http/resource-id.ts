import { type ArgumentMetadata, Param, ParseUUIDPipe, applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';
import { IsOmittable } from '../validation/presence.js';

/**
 * Ids are UUIDs, and a UUID is the same id in any letter case (RFC 9562 §4). Keel spells them in
 * lower case, as it generates them and as PostgreSQL prints them; every id a client sends is brought
 * to that spelling here, at the edge, so services compare ids as plain strings
 * (docs/decisions/0055-canonical-ids-at-the-edge.md).
 */
export const canonicalId = (value: unknown): unknown =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** ParseUUIDPipe (400 when malformed), then the canonical spelling. */
export class ParseIdPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return canonicalId(await super.transform(value, metadata)) as string;
  }
}

/** A path parameter holding an id: `@IdParam() id: string`. */
export const IdParam = (name = 'id'): ParameterDecorator => Param(name, new ParseIdPipe());

/**
 * A body or query field holding an id. `ApiProperty` keeps `format: uuid` in the OpenAPI document
 * (the CLI plugin infers it only from a literal `@IsUUID()`, and only in `.dto.ts` files).
 */
export const IsId = ({ optional = false } = {}): PropertyDecorator =>
  applyDecorators(
    ...(optional ? [IsOmittable()] : []),
    Transform(({ value }) => canonicalId(value)),
    IsUUID(),
    ApiProperty({ format: 'uuid', required: !optional }),
  );
