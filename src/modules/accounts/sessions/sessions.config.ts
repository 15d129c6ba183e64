import type { ConfigType } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { configSlice } from '../../../config/config-slice.js';
import { toSeconds } from '../../../validation/to-seconds.js';

const DURATION = 'seconds, or a number followed by s, m, h or d';

/** Sessions' variables (documented in .env.example with the others): seconds, or 15m, 12h, 30d. */
export class SessionsVariables {
  /** A session not refreshed for this long ends: its refresh token is refused. */
  @Transform(toSeconds)
  @IsInt({ message: `SESSION_IDLE_TIMEOUT must be ${DURATION}` })
  @Min(1)
  SESSION_IDLE_TIMEOUT = 7 * 86_400;

  /** However often it is refreshed, a session ends this long after its login. */
  @Transform(toSeconds)
  @IsInt({ message: `SESSION_ABSOLUTE_TIMEOUT must be ${DURATION}` })
  @Min(1)
  SESSION_ABSOLUTE_TIMEOUT = 30 * 86_400;

  /**
   * How often each instance reads the revocations of the last minutes again, whatever the
   * notifications said: the bound on how long a lost notification goes unnoticed.
   */
  @Transform(toSeconds)
  @IsInt({ message: `REVOCATION_RESYNC_INTERVAL must be ${DURATION}` })
  @Min(1)
  @Max(3600)
  REVOCATION_RESYNC_INTERVAL = 30;
}

export const sessionsConfig = configSlice('sessions', SessionsVariables);
export type SessionsConfig = ConfigType<typeof sessionsConfig>;
