import { IsString } from 'class-validator';
import { MaxChars } from '../../../validation/text-length.js';

export class RefreshDto {
  /** The `refreshToken` of the last login or refresh. */
  @IsString()
  @MaxChars(256)
  refreshToken!: string;
}
