import type { preValidationHookHandler } from 'fastify';
import { findUnstorableText } from '../validation/storable-text.js';
import { RequestValidationFailed } from './request-validation.js';

/**
 * Refuses, with a 400 naming each field, any route parameter, query parameter or body string
 * (keys included) that PostgreSQL cannot store: one rule for every route, whatever its DTO. Runs
 * in `preValidation`, once the body is parsed and before guards, pipes and handlers see it.
 */
export const refuseUnstorableText: preValidationHookHandler = (request, _reply, done) => {
  const found = [
    ...findUnstorableText(request.params),
    ...findUnstorableText(request.query),
    ...findUnstorableText(request.body),
  ];
  if (found.length === 0) {
    done();
    return;
  }
  done(
    new RequestValidationFailed(
      found.map(({ field, reason }) => ({ field, message: `${field} ${reason}` })),
    ),
  );
};
