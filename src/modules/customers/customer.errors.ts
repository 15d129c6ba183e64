import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleVersionError,
} from '../../errors/domain-error.js';

export class CustomerNotFound extends NotFoundError {
  readonly message: string;
  constructor(readonly customerId: string) {
    super();
    this.message = `Customer ${customerId} does not exist.`;
  }
}

/** Another customer record, or another account's login, has this email (any letter case). */
export class CustomerEmailTaken extends ConflictError {
  readonly message = 'This email is already in use.';
}

/**
 * A customer's record email is their login: changing it is an admin's job. Refused before any
 * lookup, so the answer is the same whoever the address belongs to.
 */
export class CustomerEmailIsTheLogin extends ForbiddenError {
  readonly message = 'Your email is your login and cannot be changed here.';
}

export class CustomerChanged extends StaleVersionError {
  readonly message: string;
  constructor(readonly customerId: string) {
    super();
    this.message = `Customer ${customerId} has changed since you read it. Fetch it again and retry.`;
  }
}

/** Orders keep their customer (ON DELETE RESTRICT): a customer with orders stays. */
export class CustomerHasOrders extends ConflictError {
  readonly message: string;
  constructor(readonly customerId: string) {
    super();
    this.message = `Customer ${customerId} has orders and cannot be deleted.`;
  }
}
