import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../config/config.module.js';
import type { Server } from 'node:http';
import { closeHttpServer } from './http-drain.js';
import { type OpenConnections, trackConnections } from './open-connections.js';
import { ShutdownState } from './shutdown-state.js';

/**
 * Steps 1-3 of the shutdown (main.ts owns the signal and the hard bound; Nest runs this hook first):
 * readiness turns 503 at once, the app keeps serving for the drain delay while load balancers
 * stop routing here, then it stops accepting connections and lets requests in flight finish,
 * answering them with `Connection: close` (close-while-draining.hook.ts) and cutting the bodies
 * still arriving with 408 (http/body-deadline.hook.ts); then the job workers registered with
 * ShutdownState stop. Nest closes the ORM afterwards (onApplicationShutdown).
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly connections: OpenConnections;
  private readonly drainDelayMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly state: ShutdownState,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.drainDelayMs = config.get('SHUTDOWN_DRAIN_DELAY_MS', { infer: true });
    this.timeoutMs = config.get('SHUTDOWN_TIMEOUT_MS', { infer: true });
    // Nest sets the adapter before it creates providers, so the server exists and does not listen
    // yet: every connection it accepts is known when it has to close.
    this.connections = trackConnections(this.server());
  }

  private server(): Server {
    return this.adapterHost.httpAdapter.getHttpServer() as Server;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const startedAt = Date.now();
    this.state.enter('draining');
    this.logger.log(
      { signal, drainDelayMs: this.drainDelayMs },
      'shutting down: readiness is 503, draining',
    );
    const server = this.server();
    // A start that failed to listen (the port is taken) has nothing to drain, and close() on a
    // server that never listened would wait for the deadline.
    if (server.listening) {
      await sleep(this.drainDelayMs);
      this.state.closeHttp();
      // Leave a little of the bound for the steps after this one.
      const deadline = startedAt + this.timeoutMs * 0.8;
      const finished = await closeHttpServer(server, deadline, this.connections);
      if (!finished) this.logger.warn('requests still in flight at the deadline were cut');
    }

    // Step 4: job workers (requests in flight could still enqueue until now).
    await this.state.runAfterHttpDrain(startedAt + this.timeoutMs * 0.95 - Date.now());
  }
}
