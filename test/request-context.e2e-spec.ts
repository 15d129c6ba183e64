import { EntityManager } from '@mikro-orm/postgresql';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppModule } from '../src/app.module.js';
import { Public } from '../src/auth/public.decorator.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Reports which entity manager serves the request: the fork of its own context, or the global one. */
@Controller('test/context')
@Public()
class ContextProbeController {
  constructor(private readonly em: EntityManager) {}

  private async probe(): Promise<{ contextId: number; globalId: number }> {
    const before = this.em.getContext()._id;
    await sleep(50); // Overlap the two requests, and cross an await: the context must survive it.
    expect(this.em.getContext()._id).toBe(before);
    return { contextId: before, globalId: this.em._id };
  }

  @Get()
  get(): Promise<{ contextId: number; globalId: number }> {
    return this.probe();
  }

  @Post()
  post(@Body() _body: unknown): Promise<{ contextId: number; globalId: number }> {
    return this.probe();
  }
}

@Module({ imports: [AppModule], controllers: [ContextProbeController] })
class ProbedAppModule {}

describe('ORM request context', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp(ProbedAppModule);
  });
  afterAll(() => api.close());

  it.each(['GET', 'POST'])(
    'gives two concurrent %s requests two different contexts, never the global one',
    async (method) => {
      const body = method === 'POST' ? { some: 'payload' } : undefined;
      const [first, second] = await Promise.all([
        api.request<{ contextId: number; globalId: number }>(method, '/test/context', body),
        api.request<{ contextId: number; globalId: number }>(method, '/test/context', body),
      ]);
      expect(first.status).toBe(method === 'POST' ? 201 : 200);
      expect(first.body.contextId).not.toBe(second.body.contextId);
      expect(first.body.contextId).not.toBe(first.body.globalId);
      expect(second.body.contextId).not.toBe(second.body.globalId);
    },
  );
});
