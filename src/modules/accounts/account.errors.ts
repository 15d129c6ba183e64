import { ConflictError, NotFoundError, UnauthenticatedError } from '../../errors/domain-error.js';

export class UserNotFound extends NotFoundError {
  readonly message = 'This account does not exist any more.';
}

/** Also raised when a customer record (not an account) already has the email: either way it is taken. */
export class UserEmailTaken extends ConflictError {
  readonly message = 'An account with this email already exists.';
}

/** Wrong password and unknown email look the same (no user enumeration). */
export class InvalidCredentials extends UnauthenticatedError {
  readonly message = 'The email or password is wrong.';
}
