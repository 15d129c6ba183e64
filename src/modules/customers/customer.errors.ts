import { ConflictError, NotFoundError } from '../../errors/domain-error.js';

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
