import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { validateEnvironment } from '../../src/config/environment.js';
import { createApp } from '../../src/http/create-app.js';
import { checkAgainstContract } from './contract.js';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  close(): Promise<void>;
}

/** The real application over real HTTP on a free port, against the run's test database. */
export async function startTestApp(rootModule?: object): Promise<TestApp> {
  const env = validateEnvironment(process.env);
  const app = await createApp(env, rootModule);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    baseUrl,
    async request<T>(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, init);
      const text = await response.text();
      let parsed: unknown = text;
      if (/json/.test(response.headers.get('content-type') ?? '') && text)
        parsed = JSON.parse(text);
      const reply = { status: response.status, headers: response.headers, body: parsed as T, text };
      // Every answer is what the served document says this operation answers (contract.ts).
      checkAgainstContract(method, path, reply);
      return reply;
    },
    close: () => app.close(),
  };
}
