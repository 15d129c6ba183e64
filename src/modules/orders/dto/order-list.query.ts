import { IsIn, IsOptional } from 'class-validator';
import { IsId } from '../../../http/resource-id.js';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { ORDER_STATUSES, type OrderStatus } from '../order.entity.js';

/** `?customerId=&status=` plus the page parameters. */
export class OrderListQuery extends PageQueryDto {
  @IsId({ optional: true })
  customerId?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
