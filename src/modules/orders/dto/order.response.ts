import { ApiProperty } from '@nestjs/swagger';
import type { Order, OrderStatus } from '../order.entity.js';
import { MAX_ORDER_LINES } from '../order.limits.js';

export class OrderItemResponse {
  productId!: string;
  quantity!: number;
  unitPriceCents!: number;
}

/** What clients see of an order. */
export class OrderResponse {
  id!: string;
  customerId!: string;
  status!: OrderStatus;
  @ApiProperty({ type: [OrderItemResponse], minItems: 1, maxItems: MAX_ORDER_LINES })
  items!: OrderItemResponse[];
  totalCents!: number;
  currency!: string;
  createdAt!: string;
  updatedAt!: string;
  version!: number;

  static from(this: void, order: Order): OrderResponse {
    return {
      id: order.id,
      customerId: order.customer.id,
      status: order.status,
      items: [...order.items]
        .map((item) => ({
          productId: item.product.id,
          quantity: item.quantity,
          unitPriceCents: item.unitPriceCents,
        }))
        .sort((a, b) => (a.productId < b.productId ? -1 : 1)),
      totalCents: order.totalCents,
      currency: order.currency,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
      version: order.version,
    };
  }
}

export class OrderPageResponse {
  items!: OrderResponse[];
  /** Pass as `cursor` (with the same filters) to get the next page; `null` on the last page. */
  nextCursor!: string | null;
}
