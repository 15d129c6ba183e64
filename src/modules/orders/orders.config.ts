import type { ConfigType } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { configSlice } from '../../config/config-slice.js';
import { toInteger } from '../../validation/to-integer.js';

/** The orders domain's variables (documented in .env.example with the others). */
export class OrdersVariables {
  /** How long after it is placed an order is confirmed by its job (stands in for payment). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  ORDER_CONFIRM_DELAY_MS = 2000;

  /** An order still pending this long after it was placed expires and its stock is returned. */
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  ORDER_EXPIRY_MS = 900_000;
}

export const ordersConfig = configSlice('orders', OrdersVariables);
export type OrdersConfig = ConfigType<typeof ordersConfig>;
