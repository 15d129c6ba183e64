export class AccessTokenResponse {
  /** A JWT (HS256) to send as `Authorization: Bearer <accessToken>`. */
  accessToken!: string;
  tokenType!: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn!: number;
  /**
   * Opaque; send it to `POST /api/v1/auth/refresh` for the next pair. Good for one use: a second
   * use ends the session.
   */
  refreshToken!: string;
}
