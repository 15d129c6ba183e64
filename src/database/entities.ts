import { Customer } from '../modules/customers/customer.entity.js';

/** Every entity of the service; a new domain adds its entities here. */
export const entities = [Customer];
