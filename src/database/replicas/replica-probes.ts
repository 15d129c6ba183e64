import pg from 'pg';
import { type Lsn, parseLsn } from './lsn.js';

/** Longest a check may take before the replica counts as not answering. */
export const CHECK_TIMEOUT_MS = 1000;

/**
 * One connection of its own per database, kept between checks and made again after a failure:
 * a check must not wait behind the reads in the replica's pool, nor be counted in them.
 */
class Probe {
  private client?: pg.Client;

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
  ) {}

  async lsn(sql: string): Promise<Lsn> {
    try {
      const client = await this.connected();
      const { rows } = await client.query<{ lsn: string | null }>(sql);
      const lsn = rows[0]?.lsn;
      if (!lsn) throw new Error('no replay position: not a replica');
      const parsed = parseLsn(lsn);
      if (parsed === undefined) throw new Error(`unexpected WAL position ${lsn}`);
      return parsed;
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: CHECK_TIMEOUT_MS,
      query_timeout: CHECK_TIMEOUT_MS,
      application_name: this.applicationName,
    });
    // A dropped connection emits 'error' outside any query: caught here, the next check reconnects.
    client.on('error', () => this.discard());
    this.client = client;
    await client.connect();
    return client;
  }

  private discard(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }

  close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    return client ? client.end().catch(() => undefined) : Promise.resolve();
  }
}

/** The monitor's questions, asked over pg (through a pooler too: each is one statement). */
export class PostgresReplicaProbes {
  private readonly primary: Probe;
  private readonly replicas: Probe[];

  constructor(primaryUrl: string, replicaUrls: string[]) {
    this.primary = new Probe(primaryUrl, 'keel-replica-monitor');
    this.replicas = replicaUrls.map((url) => new Probe(url, 'keel-replica-monitor'));
  }

  primaryLsn(): Promise<Lsn> {
    return this.primary.lsn('select pg_current_wal_lsn()::text as lsn');
  }

  replayLsn(index: number): Promise<Lsn> {
    return this.replicas[index].lsn('select pg_last_wal_replay_lsn()::text as lsn');
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), ...this.replicas.map((probe) => probe.close())]);
  }
}
