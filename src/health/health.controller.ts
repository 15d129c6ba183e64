import { MikroORM } from '@mikro-orm/postgresql';
import {
  Controller,
  Get,
  Header,
  HttpStatus,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckAttempt,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { EventLoopLoad } from './event-loop-load.js';
import { ReadinessChanges } from './readiness-changes.js';
import { ReadinessChecks } from './readiness-checks.js';
import { SchemaVersion } from './schema-version.js';

const DATABASE_TIMEOUT_MS = 1000;

/**
 * Kubernetes probes. Liveness never touches the database (a database blip must not restart every
 * pod); readiness runs a real `select 1` (terminus#2460) and turns 503 from the first moment of
 * shutdown; startup waits for the schema to be at the latest migration.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly orm: MikroORM,
    private readonly shutdown: ShutdownState,
    private readonly load: EventLoopLoad,
    private readonly readiness: ReadinessChecks,
    private readonly readinessChanges: ReadinessChanges,
    private readonly schema: SchemaVersion,
  ) {}

  /** Built without HealthCheckService: Terminus answers every check 503 once shutdown begins. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): HealthCheckResult {
    const eventLoop = this.indicator
      .check('eventLoop')
      .up({ delayMs: Math.round(this.load.delayMs()) });
    return { status: 'ok', info: eventLoop, error: {}, details: eventLoop };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ready = await this.answer(reply, [
      () => this.accepting(),
      () => this.database(),
      ...this.readiness.all(),
    ]);
    this.readinessChanges.record(ready);
  }

  @Get('startup')
  async startup(@Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, [
      () =>
        this.indicator
          .check('schema')
          .attempt(async () => {
            const pending = await this.schema.pendingMigrations().catch(() => {
              throw new Error('cannot read the schema version');
            });
            if (pending > 0) throw new Error(`${pending} migration(s) pending`);
          })
          .withTimeout(DATABASE_TIMEOUT_MS * 3),
    ]);
  }

  private accepting(): HealthIndicatorResult {
    const session = this.indicator.check('shutdown');
    return this.shutdown.shuttingDown ? session.down({ message: 'shutting down' }) : session.up();
  }

  private database(): HealthCheckAttempt<'database'> {
    return this.indicator
      .check('database')
      .attempt(async () => {
        // The driver's message names hosts and ports: the probe says only what failed.
        await this.orm.em
          .getConnection()
          .execute('select 1')
          .catch(() => {
            throw new Error('unreachable');
          });
      })
      .withTimeout(DATABASE_TIMEOUT_MS);
  }

  /**
   * Terminus throws on failure; probes answer its body with 503 rather than a problem document.
   * Resolves with whether every check passed.
   */
  private async answer(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<boolean> {
    let result: HealthCheckResult;
    let passed = true;
    try {
      result = await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      passed = false;
      reply.header('Retry-After', '5');
    }
    const status = passed ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    await reply.status(status).header('Cache-Control', 'no-store').send(result);
    return passed;
  }
}
