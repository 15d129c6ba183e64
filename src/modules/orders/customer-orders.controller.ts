import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { renderPage } from '../../pagination/page.js';
import { OrderPageResponse, OrderResponse } from './dto/order.response.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@ApiBearerAuth('bearer')
@Controller('api/v1/customers/:id/orders')
export class CustomerOrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** The customer's orders, oldest first; 404 when the customer does not exist. */
  @Get()
  @ApiProblems(400, 401, 404)
  async list(
    @CurrentActor() actor: Actor,
    @IdParam() customerId: string,
    @Query() query: PageQueryDto,
  ): Promise<OrderPageResponse> {
    const page = await this.orders.listOfCustomer(actor, customerId, query);
    return renderPage(page, OrderResponse.from);
  }
}
