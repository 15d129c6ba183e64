import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../../../http/resource-id.js';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../order.limits.js';

export class OrderLineDto {
  @IsId()
  productId!: string;

  /** 1 to 10,000. */
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

export class CreateOrderDto {
  @IsId()
  customerId!: string;

  /** 1 to 100 lines; lines of the same product add up. */
  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: MAX_ORDER_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  // ValidateNested walks into a nested array and finds nothing wrong with `[[]]`: each line must
  // itself be an object for its fields to be checked at all.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items!: OrderLineDto[];
}
