import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pg from 'pg';
import type { AppConfig } from '../../../config/config.module.js';
import { RevocationList } from '../../../auth/revocation/revocation-list.js';
import { decodeNotice } from '../../../auth/revocation/revocation-notice.js';
import { REVOCATION_CHANNEL } from './revocation-notices.js';
import { readRecentRevocations } from './revocation-catch-up.js';
import { type SessionsConfig, sessionsConfig } from './sessions.config.js';

/** How the listener shows in pg_stat_activity (operators and tests find it by this name). */
export const REVOCATION_LISTENER_NAME = 'keel-revocations';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;
/** Start-up waits this long for the first catch-up, then serves and keeps trying. */
const FIRST_CATCH_UP_WAIT_MS = 5000;

/**
 * Feeds this instance's RevocationList: LISTEN on a connection of its own (a session that outlives
 * any transaction, so never through a pooler in transaction mode: DATABASE_DIRECT_URL when set),
 * a catch-up read each time it (re)connects, and one every REVOCATION_RESYNC_INTERVAL in case a
 * notification was lost (docs/decisions/0161-revocation-at-once.md).
 */
@Injectable()
export class RevocationFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationFeed.name);
  private readonly url: string;
  private readonly resyncMs: number;
  private client: pg.Client | undefined;
  private readonly abandoned = new WeakSet<pg.Client>();
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly revocations: RevocationList,
    @Inject(ConfigService) config: AppConfig,
    @Inject(sessionsConfig.KEY) sessions: SessionsConfig,
  ) {
    this.url =
      config.get('DATABASE_DIRECT_URL', { infer: true }) ??
      config.get('DATABASE_URL', { infer: true });
    this.resyncMs = sessions.REVOCATION_RESYNC_INTERVAL * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.resyncTimer = setInterval(() => void this.resync(), this.resyncMs).unref();
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      this.connect(),
      new Promise((done) => (waited = setTimeout(done, FIRST_CATCH_UP_WAIT_MS).unref())),
    ]);
    clearTimeout(waited);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.abandoned.add(client);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: REVOCATION_LISTENER_NAME,
    });
    client.on('notification', ({ payload }) => {
      const notice = decodeNotice(payload ?? '');
      if (notice) this.revocations.apply(notice);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // LISTEN before reading: a change committed in between arrives as a notice, not lost.
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      await this.catchUp(client);
      this.client = client;
      if (this.retryMs !== FIRST_RETRY_MS) {
        this.logger.log('revocation listener reconnected and caught up');
      }
      this.retryMs = FIRST_RETRY_MS;
    } catch (error) {
      this.lost(client, error);
    }
  }

  /** The connection is gone: forget it, and connect again after a growing pause. */
  private lost(client: pg.Client, error?: unknown): void {
    if (this.abandoned.has(client)) return;
    this.abandoned.add(client);
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(
      { err: error, retryInMs: this.retryMs },
      'revocation listener lost its connection; reconnecting, then catching up',
    );
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  private async catchUp(client: pg.Client): Promise<void> {
    const notices = await readRecentRevocations(client, this.revocations.rememberedForMs);
    for (const notice of notices) this.revocations.apply(notice);
  }

  private async resync(): Promise<void> {
    this.revocations.forgetOlderThanRemembered(Date.now());
    const client = this.client;
    if (!client) return;
    try {
      await this.catchUp(client);
    } catch (error) {
      this.lost(client, error);
    }
  }
}
