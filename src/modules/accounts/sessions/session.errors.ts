import { UnauthenticatedError } from '../../../errors/domain-error.js';

/** Unknown, malformed, expired or ended: one answer, so nothing leaks about which. */
export class InvalidRefreshToken extends UnauthenticatedError {
  readonly message = 'The refresh token is invalid, expired or revoked. Log in again.';
}

/** A spent refresh token came back: its session is ended, whoever holds its successor. */
export class RefreshTokenReused extends UnauthenticatedError {
  readonly message =
    'The refresh token was already used; its session has been ended. Log in again.';
}
