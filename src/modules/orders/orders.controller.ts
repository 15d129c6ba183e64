import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import { ApiIfNoneMatch, tagged } from '../../http/resource-version.js';
import { renderPage } from '../../pagination/page.js';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { OrderListQuery } from './dto/order-list.query.js';
import { OrderPageResponse, OrderResponse } from './dto/order.response.js';
import { parseIdempotencyKey } from './idempotency-key-header.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@ApiBearerAuth('bearer')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiProblems(400, 401)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: OrderListQuery,
  ): Promise<OrderPageResponse> {
    const page = await this.orders.list(actor, query, {
      customerId: query.customerId,
      status: query.status,
    });
    return renderPage(page, OrderResponse.from);
  }

  @Get(':id')
  @ApiIfNoneMatch()
  @ApiProblems(400, 401, 404)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    return tagged(reply, await this.orders.get(actor, id), OrderResponse.from);
  }

  /** `Idempotency-Key` (optional, per account): a retry with the same key and body answers the same order. */
  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
    description:
      'Per account: the same key and body within 24 h answer the first order again, nothing created',
  })
  @ApiProblems(400, 401, 403, 409, 413, 415, 422)
  async place(
    @CurrentActor() actor: Actor,
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const key = parseIdempotencyKey(idempotencyKey);
    const { order, replayed } = await this.orders.placeOnce(actor, body, key);
    reply.header('Location', `/api/v1/orders/${order.id}`);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return OrderResponse.from(order);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(400, 401, 404, 409)
  async cancel(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.cancel(actor, id));
  }
}
