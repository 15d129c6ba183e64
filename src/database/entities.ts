import { RateLimitCounter } from '../auth/rate-limit/rate-limit-counter.entity.js';
import { Customer } from '../modules/customers/customer.entity.js';
import { User } from '../modules/users/user.entity.js';
import { IdempotencyKey } from '../modules/orders/idempotency-key.entity.js';
import { OrderItem } from '../modules/orders/order-item.entity.js';
import { Order } from '../modules/orders/order.entity.js';
import { Product } from '../modules/products/product.entity.js';

/** Every entity of the service; a new domain adds its entities here. */
export const entities = [
  Customer,
  User,
  RateLimitCounter,
  Product,
  Order,
  OrderItem,
  IdempotencyKey,
];
