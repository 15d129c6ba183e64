import { IsIn } from 'class-validator';
import { IsId } from '../../../http/resource-id.js';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { IsOmittable } from '../../../validation/presence.js';
import { ORDER_STATUSES, type OrderStatus } from '../order.entity.js';

/** `?customerId=&status=` plus the page parameters. */
export class OrderListQuery extends PageQueryDto {
  @IsId({ optional: true })
  customerId?: string;

  @IsOmittable()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
