import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { OrderPageResponse, OrderResponse } from './dto/order.response.js';
import { OrdersService } from './orders.service.js';

@Controller('api/v1/customers/:id/orders')
export class CustomerOrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** The customer's orders, oldest first; 404 when the customer does not exist. */
  @Get()
  async list(
    @Param('id', new ParseUUIDPipe()) customerId: string,
    @Query() query: PageQueryDto,
  ): Promise<OrderPageResponse> {
    const page = await this.orders.listOfCustomer(customerId, query);
    return {
      items: page.items.map((order) => OrderResponse.from(order)),
      nextCursor: page.nextCursor,
    };
  }
}
