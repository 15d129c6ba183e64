import { RateLimitCounter } from '../auth/rate-limit/rate-limit-counter.entity.js';
import { Customer } from '../modules/customers/customer.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Every entity of the service; a new domain adds its entities here. */
export const entities = [Customer, User, RateLimitCounter];
