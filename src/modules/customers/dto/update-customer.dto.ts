import { PartialType } from '@nestjs/swagger';
import { CreateCustomerDto } from './create-customer.dto.js';

/** Any subset of the creation fields; `phone: null` clears the phone. */
export class UpdateCustomerDto extends PartialType(CreateCustomerDto) {}
