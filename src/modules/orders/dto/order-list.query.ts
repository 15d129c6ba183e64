import { IsIn, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { IsOmittable } from '../../../validation/presence.js';
import { ORDER_STATUSES, type OrderStatus } from '../order.entity.js';

/** `?customerId=&status=` plus the page parameters. */
export class OrderListQuery extends PageQueryDto {
  @IsOmittable()
  @IsUUID()
  customerId?: string;

  @IsOmittable()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
