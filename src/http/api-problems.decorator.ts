import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ProblemDocument } from './problem-document.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation problem with `errors[]`, malformed id, cursor or JSON)',
  401: 'Missing, invalid or expired access token',
  403: 'Not allowed for this account',
  404: 'No such resource',
  409: 'Conflicts with the current state',
  412: 'The resource changed since the given ETag (If-Match)',
  413: 'Body larger than BODY_LIMIT',
  415: 'Body is not application/json',
  422: 'Breaks a business rule',
  429: 'Rate limit reached; see Retry-After',
  503: 'Temporarily unavailable; see Retry-After',
};

/** Documents the problem+json responses a route can return (500 is implied everywhere). */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Internal error; quote the request id',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
      }),
    ),
  );
