import { ConflictError, NotFoundError, StaleVersionError } from '../../errors/domain-error.js';

export class CustomerNotFound extends NotFoundError {
  readonly message: string;
  constructor(readonly customerId: string) {
    super();
    this.message = `Customer ${customerId} does not exist.`;
  }
}

export class CustomerEmailTaken extends ConflictError {
  readonly message = 'A customer with this email already exists.';
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
