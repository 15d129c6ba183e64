import { ApiProperty } from '@nestjs/swagger';
import { MAX_FIELD_ERRORS } from './request-validation.js';

/**
 * Node refuses a request whose header section (request line included) is larger than this (431):
 * it bounds the path a problem names and the field paths it lists.
 */
const MAX_HEADER_BYTES = 16_384;

/** The OpenAPI shape of `Problem` (problem.ts); a class so the Swagger plugin can read it. */
export class FieldErrorDocument {
  /** Dotted path of the field in the request (`items.0.quantity`), or the query/param name. */
  @ApiProperty({ maxLength: MAX_HEADER_BYTES })
  field!: string;

  @ApiProperty({ maxLength: MAX_HEADER_BYTES + 256 })
  message!: string;
}

/** RFC 9457 problem details, as every error response of the API is shaped. */
export class ProblemDocument {
  /** Identifies the kind of problem; stable, switch on it. */
  @ApiProperty({ format: 'uri', maxLength: 256 })
  type!: string;

  @ApiProperty({ maxLength: 256 })
  title!: string;

  @ApiProperty({ minimum: 400, maximum: 599 })
  status!: number;

  @ApiProperty({ maxLength: 4096 })
  detail!: string;

  /** The request path. */
  @ApiProperty({ maxLength: MAX_HEADER_BYTES })
  instance!: string;

  /** Quote it when reporting a problem. */
  @ApiProperty({ maxLength: 128, pattern: '^[A-Za-z0-9._:-]{1,128}$' })
  requestId!: string;

  /** Server errors (5xx) only, when tracing is on: the OpenTelemetry trace of the request. */
  @ApiProperty({ required: false, minLength: 32, maxLength: 32, pattern: '^[0-9a-f]{32}$' })
  traceId?: string;

  /** Validation problems only: one entry per invalid field. */
  @ApiProperty({ required: false, type: [FieldErrorDocument], maxItems: MAX_FIELD_ERRORS })
  errors?: FieldErrorDocument[];
}
