import { PatchType } from '../../../validation/patch-type.js';
import { CreateCustomerDto } from './create-customer.dto.js';

/** Any subset of the creation fields; `phone: null` clears the phone, `null` elsewhere is a 400. */
export class UpdateCustomerDto extends PatchType(CreateCustomerDto) {}
