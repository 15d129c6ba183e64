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
