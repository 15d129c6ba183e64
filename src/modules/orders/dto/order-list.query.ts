import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../pagination/page-query.dto.js';
import { ORDER_STATUSES, type OrderStatus } from '../order.entity.js';

/** `?customerId=&status=` plus the page parameters. */
export class OrderListQuery extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
