import { PartialType } from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto.js';

/** Any subset of the creation fields. Send `If-Match` with the ETag you read to avoid lost updates. */
export class UpdateProductDto extends PartialType(CreateProductDto) {}
