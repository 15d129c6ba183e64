import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import { ProblemDocument } from './problem-document.dto.js';
import { problemResponse } from './problem-responses.js';

/**
 * Documents the problem+json responses particular to a route (403, 409, 422...). The ones every
 * route of its kind can answer (400, 406, 429, 500, 503; 401 when it needs a token; 404 with a
 * path id; 412 with If-Match; 408, 413 and 415 with a body; 409 and 422 on a write) are added to every operation by
 * openapi-contract.ts, so a new route cannot forget them.
 */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
