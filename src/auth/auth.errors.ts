import { ForbiddenError, InvalidInputError, UnauthenticatedError } from '../errors/domain-error.js';

/** Missing, malformed, tampered, expired or foreign token: one answer, so nothing leaks about why. */
export class InvalidAccessToken extends UnauthenticatedError {
  readonly message = 'The access token is missing, invalid or expired.';
}

export class RoleNotAllowed extends ForbiddenError {
  readonly message = 'Your role may not do this.';
}

export class WeakPassword extends InvalidInputError {
  constructor(readonly message: string) {
    super();
  }
}
