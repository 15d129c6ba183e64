import { ApiProperty } from '@nestjs/swagger';
// The one place that uses IsOptional: elsewhere it would let `null` through to NOT NULL columns.
// eslint-disable-next-line no-restricted-imports
import { IsOptional, ValidateIf } from 'class-validator';

const both =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

/**
 * The field may be left out. `null` is validated like any other value (and so refused by the
 * type rules): class-validator's `IsOptional` skips `null` too, which let `{"name": null}` reach
 * a NOT NULL column as a 500. Documented as not required in the OpenAPI schema.
 */
export const IsOmittable = (): PropertyDecorator =>
  both(
    ValidateIf((_object, value: unknown) => value !== undefined),
    ApiProperty({ required: false }),
  );

/** The field may be left out or `null`: for nullable columns, where `null` clears the value. */
export const IsNullable = (): PropertyDecorator =>
  both(IsOptional(), ApiProperty({ required: false, nullable: true }));
