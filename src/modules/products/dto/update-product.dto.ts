import { PatchType } from '../../../validation/patch-type.js';
import { CreateProductDto } from './create-product.dto.js';

/**
 * Any subset of the creation fields; `description: null` clears it, `null` elsewhere is a 400.
 * Send `If-Match` with the ETag you read to avoid lost updates.
 */
export class UpdateProductDto extends PatchType(CreateProductDto) {}
