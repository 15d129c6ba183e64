import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '../../errors/domain-error.js';

export class OrderNotFound extends NotFoundError {
  readonly message: string;
  constructor(readonly orderId: string) {
    super();
    this.message = `Order ${orderId} does not exist.`;
  }
}

export class OrderCustomerUnknown extends RuleViolationError {
  readonly message: string;
  constructor(readonly customerId: string) {
    super();
    this.message = `Customer ${customerId} does not exist.`;
  }
}

export class OrderProductUnavailable extends RuleViolationError {
  readonly message: string;
  constructor(readonly productId: string) {
    super();
    this.message = `Product ${productId} does not exist or is not for sale.`;
  }
}

export class OrderMixesCurrencies extends RuleViolationError {
  readonly message = 'All products of one order must have the same currency.';
}

export class OutOfStock extends ConflictError {
  readonly message: string;
  constructor(
    readonly productId: string,
    productName: string,
    quantity: number,
  ) {
    super();
    this.message = `Product ${productId} (${productName}) does not have ${quantity} units in stock.`;
  }
}

export class OrderNotCancellable extends ConflictError {
  readonly message: string;
  constructor(
    readonly orderId: string,
    status: string,
  ) {
    super();
    this.message = `Order ${orderId} is ${status} and cannot be cancelled.`;
  }
}

export class IdempotencyKeyReused extends RuleViolationError {
  readonly message = 'This Idempotency-Key was already used with a different request body.';
}

export class IdempotencyKeyInFlight extends ConflictError {
  readonly message = 'A request with this Idempotency-Key is still being processed. Retry later.';
}

/** A customer may order only for their own customer record (admins for anyone). */
export class OrderForAnotherCustomer extends ForbiddenError {
  readonly message = 'You may place orders only for your own customer record.';
}
