import {
  type CanActivate,
  Controller,
  Get,
  Injectable,
  Module,
  type OnModuleInit,
  type PipeTransform,
  Query,
  UseGuards,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppModule } from '../src/app.module.js';
import { Public } from '../src/auth/public.decorator.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'internal detail: password=hunter2 at db.internal:5432';

@Injectable()
class ExplodingGuard implements CanActivate {
  canActivate(): boolean {
    throw new Error(SECRET);
  }
}

@Injectable()
class ExplodingPipe implements PipeTransform {
  transform(): never {
    throw new TypeError(SECRET);
  }
}

@Public()
@Controller('test/errors')
class ErrorsController {
  @Get('guard')
  @UseGuards(ExplodingGuard)
  guard(): string {
    return 'unreachable';
  }

  @Get('pipe')
  pipe(@Query('x', ExplodingPipe) x: string): string {
    return x;
  }

  @Get('handler')
  handler(): string {
    throw new RangeError(SECRET);
  }

  @Get('hook')
  hook(): string {
    return 'unreachable';
  }
}

@Injectable()
class ExplodingHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, _reply, done) => {
      done(request.url.startsWith('/test/errors/hook') ? new Error(SECRET) : undefined);
    });
  }
}

@Module({ imports: [AppModule], controllers: [ErrorsController], providers: [ExplodingHook] })
class FaultyAppModule {}

describe('errors raised anywhere take the same path', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp(FaultyAppModule);
  });
  afterAll(() => api.close());

  it.each(['guard', 'pipe', 'handler', 'hook'])(
    'an error thrown in a %s becomes a generic 500 problem with the request id, nothing internal',
    async (where) => {
      const reply = await api.request('GET', `/test/errors/${where}?x=1`, undefined, {
        'x-request-id': `err-${where}`,
      });
      const problem = expectProblem(reply, 500);
      expect(problem).toMatchObject({ title: 'Internal server error', requestId: `err-${where}` });
      expect(reply.text).not.toMatch(/hunter2|db\.internal|internal detail/);
    },
  );
});
