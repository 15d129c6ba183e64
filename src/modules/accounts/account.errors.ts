import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../../errors/domain-error.js';

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

/** Told only to whoever knows the password: a disabled account is no secret from its owner. */
export class AccountDisabled extends UnauthenticatedError {
  readonly message = 'This account is disabled.';
}

/** The password change needs the password in use, so a stolen access token cannot take the account. */
export class CurrentPasswordWrong extends ForbiddenError {
  readonly message = 'The current password is wrong.';
}

/** Demoting, disabling or deleting the last active admin would leave nobody to administer Keel. */
export class LastActiveAdmin extends ConflictError {
  readonly message = 'This is the last active admin: promote or enable another admin first.';
}
