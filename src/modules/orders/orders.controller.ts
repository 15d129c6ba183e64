import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { etagFor } from '../../http/etag.js';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { OrderListQuery } from './dto/order-list.query.js';
import { OrderPageResponse, OrderResponse } from './dto/order.response.js';
import { parseIdempotencyKey } from './idempotency-key-header.js';
import { OrdersService } from './orders.service.js';

const OrderId = (): ParameterDecorator => Param('id', new ParseUUIDPipe());

@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  async list(@Query() query: OrderListQuery): Promise<OrderPageResponse> {
    const page = await this.orders.list(query, {
      customerId: query.customerId,
      status: query.status,
    });
    return {
      items: page.items.map((order) => OrderResponse.from(order)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  async get(
    @OrderId() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const order = await this.orders.get(id);
    reply.header('ETag', etagFor(order.version));
    return OrderResponse.from(order);
  }

  /** `Idempotency-Key` (optional): a retry with the same key and body answers the same order. */
  @Post()
  async place(
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const key = parseIdempotencyKey(idempotencyKey);
    const { order, replayed } = await this.orders.placeOnce(body, key);
    reply.header('Location', `/api/v1/orders/${order.id}`);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return OrderResponse.from(order);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  async cancel(@OrderId() id: string): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.cancel(id));
  }
}
