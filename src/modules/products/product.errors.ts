import { ConflictError, NotFoundError, StaleVersionError } from '../../errors/domain-error.js';

export class ProductNotFound extends NotFoundError {
  readonly message: string;
  constructor(readonly productId: string) {
    super();
    this.message = `Product ${productId} does not exist.`;
  }
}

export class ProductSkuTaken extends ConflictError {
  readonly message = 'A product with this sku already exists.';
}

export class ProductChanged extends StaleVersionError {
  readonly message: string;
  constructor(readonly productId: string) {
    super();
    this.message = `Product ${productId} has changed since you read it. Fetch it again and retry.`;
  }
}

export class ProductInUse extends ConflictError {
  readonly message: string;
  constructor(readonly productId: string) {
    super();
    this.message = `Product ${productId} is part of orders; deactivate it instead.`;
  }
}
