import { ApiProperty } from '@nestjs/swagger';

export class AccessTokenResponse {
  /** A JWT (HS256) to send as `Authorization: Bearer <accessToken>`. */
  @ApiProperty({ maxLength: 2048 })
  accessToken!: string;
  tokenType!: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn!: number;
  /**
   * Opaque; send it to `POST /api/v1/auth/refresh` for the next pair. Good for one use: a second
   * use ends the session.
   */
  @ApiProperty({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })
  refreshToken!: string;
}
