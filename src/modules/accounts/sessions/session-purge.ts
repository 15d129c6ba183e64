import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../config/config.module.js';
import { JobQueue } from '../../../jobs/job-queue.js';

export const SESSION_PURGE_QUEUE = 'session_purge';

/** Beyond JWT_EXPIRES_IN, as RevocationList remembers (src/auth/auth.module.ts). */
const MARGIN_SECONDS = 300;
/**
 * How long a spent refresh token is kept to recognise its reuse. A client that refreshes every 10
 * minutes spends ~4,000 tokens in a month: kept for the whole session they would outgrow the
 * sessions many times over. Presented later, a spent token is only unknown (401, session kept).
 */
const SPENT_TOKENS_KEPT_SECONDS = 86_400;

/**
 * Deletes what no token can need any more, hourly on one instance (pg-boss cron): sessions that
 * ended or expired longer ago than an access token lives (their refresh tokens go with them), spent
 * refresh tokens older than a day, and account changes older than that window unless the account is
 * still disabled. Until then catch-up reads need them (docs/decisions/0161-revocation-at-once.md).
 */
@Injectable()
export class SessionPurge implements OnModuleInit {
  private readonly logger = new Logger(SessionPurge.name);
  private readonly windowSeconds: number;

  constructor(
    private readonly queue: JobQueue,
    private readonly orm: MikroORM,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.windowSeconds = config.get('JWT_EXPIRES_IN', { infer: true }) + MARGIN_SECONDS;
  }

  onModuleInit(): void {
    // pg-boss's cron sends the schedule's data, and this schedule has none: its jobs carry `null`.
    this.queue.define<null>({
      name: SESSION_PURGE_QUEUE,
      handler: () => this.purge(),
      describe: () => ({}),
      cron: '17 * * * *',
      options: { retryLimit: 0 },
    });
  }

  async purge(): Promise<void> {
    const connection = this.orm.em.getConnection();
    const window = this.windowSeconds;
    const sessions = await connection.execute<{ count: string }[]>(
      `with gone as (delete from sessions
         where revoked_at < now() - make_interval(secs => ?)
            or least(idle_expires_at, expires_at) < now() - make_interval(secs => ?)
         returning 1)
       select count(*) from gone`,
      [window, window],
    );
    await connection.execute(
      'delete from refresh_tokens where spent_at < now() - make_interval(secs => ?)',
      [SPENT_TOKENS_KEPT_SECONDS],
    );
    await connection.execute(
      `delete from account_changes c where c.changed_at < now() - make_interval(secs => ?)
         and not exists (select 1 from users u where u.id = c.user_id and u.disabled)`,
      [window],
    );
    this.logger.log({ sessions: Number(sessions[0]?.count ?? 0) }, 'ended sessions purged');
  }
}
