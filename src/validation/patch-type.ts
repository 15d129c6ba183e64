import type { Type } from '@nestjs/common';
// The one place that uses PartialType: its default lets `null` into every field.
// eslint-disable-next-line no-restricted-imports
import { PartialType } from '@nestjs/swagger';

/**
 * A PATCH body: any subset of the creation fields. A field left out is left alone; `null` passes
 * only where the creation field itself is `@IsNullable()`.
 */
export const PatchType = <T>(create: Type<T>): Type<Partial<T>> =>
  PartialType(create, { skipNullProperties: false });
