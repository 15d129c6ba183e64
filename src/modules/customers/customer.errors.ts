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

/**
 * Rows of another domain keep their customer (ON DELETE RESTRICT): orders, and any generated
 * domain with a reference to customers. `referencedBy` names them, as the database reports them.
 */
export class CustomerStillReferenced extends ConflictError {
  readonly message: string;
  constructor(
    readonly customerId: string,
    readonly referencedBy: string,
  ) {
    super();
    this.message = `Customer ${customerId} has ${referencedBy} and cannot be deleted.`;
  }
}
