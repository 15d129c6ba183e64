import { getSchemaPath, type ResponseObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ProblemDocument } from './problem-document.dto.js';

/** What each problem status means on the API, as the OpenAPI document describes it. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation problem with `errors[]`, malformed id, cursor or JSON)',
  401: 'Missing, invalid or expired access token',
  403: 'Not allowed for this account',
  404: 'No such resource',
  406: 'The `Accept` header allows neither application/json nor application/problem+json',
  408: 'The body did not arrive within REQUEST_BODY_TIMEOUT_MS of the headers',
  409: 'Conflicts with the current state',
  412: 'The resource changed since the given ETag (If-Match)',
  413: 'Body larger than BODY_LIMIT',
  415: 'Body is not application/json',
  422: 'Breaks a business rule',
  429: 'Rate limit reached; see Retry-After and the RateLimit field',
  500: 'Internal error; quote the request id',
  503: 'Temporarily unavailable (overload, database); see Retry-After',
};

/** One problem+json response of the document, for `status`. */
export const problemResponse = (status: number): ResponseObject => ({
  description: PROBLEM_DESCRIPTIONS[status] ?? PROBLEM_DESCRIPTIONS[500],
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
});
