import { ApiProperty } from '@nestjs/swagger';
import { IsDate, ValidateBy } from 'class-validator';

// Years 0001-9999 only: PostgreSQL has no year 0, so it would refuse the value with an error (a 500).
const CALENDAR_DATE = /^((?!0000)\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^((?!0000)\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether year, month and day name a day of the calendar: `Date` rolls 2026-02-30 into March. */
function isDay(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

/** A calendar day as PostgreSQL's `date` takes it: `YYYY-MM-DD`, a day that exists. */
export const isCalendarDate = (value: unknown): boolean => {
  const parts = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  return parts !== null && isDay(parts[1], parts[2], parts[3]);
};

/**
 * A `@Transform` for an instant: ISO 8601 with a time zone (`Z` or an offset) on a day that exists
 * becomes a `Date`; anything else passes on for `@IsTimestamp()` to refuse. Without a time zone
 * the instant would depend on the server's (`Date` reads it as local time).
 */
export const toTimestamp = ({ value }: { value: unknown }): unknown => {
  const parts = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!parts || !isDay(parts[1], parts[2], parts[3])) return value;
  const instant = new Date(value as string);
  return Number.isNaN(instant.getTime()) ? value : instant;
};

const both =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

/** A `date` column's value, documented as OpenAPI's `format: date`. */
export const IsCalendarDate = (): PropertyDecorator =>
  both(
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args) => `${args?.property} must be a day as YYYY-MM-DD`,
      },
    }),
    ApiProperty({ type: 'string', format: 'date', minLength: 10, maxLength: 10 }),
  );

/** A `timestamptz` column's value, after `toTimestamp`; documented as `format: date-time`. */
export const IsTimestamp = (): PropertyDecorator =>
  both(
    IsDate({ message: ({ property }) => `${property} must be an ISO 8601 time with a time zone` }),
    // The longest TIMESTAMP above: microseconds and an offset.
    ApiProperty({ type: 'string', format: 'date-time', maxLength: 32 }),
  );
