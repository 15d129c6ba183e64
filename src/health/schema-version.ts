import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** Whether the database schema is at the latest migration this build knows. */
@Injectable()
export class SchemaVersion {
  private current = false;

  constructor(private readonly orm: MikroORM) {}

  /** Once current, stays current for the life of the process: migrations only move forward. */
  async pendingMigrations(): Promise<number> {
    if (this.current) return 0;
    const pending = await this.orm.migrator.getPending();
    this.current = pending.length === 0;
    return pending.length;
  }
}
