import { randomUUID } from 'node:crypto';

/** What login and refresh answer. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Shaped like test-app.ts's Reply, so expectProblem() checks it too. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  contentType: string;
  body: T;
  text: string;
}

/**
 * A client of one Keel instance by its base URL (in-process or spawned), speaking the session
 * routes the way an app would: suites about sessions and revocation call several instances at once.
 */
export class SessionClient {
  constructor(readonly base: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    { token, body }: { token?: string; body?: unknown } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      body: (/json/.test(contentType) && text ? JSON.parse(text) : text) as T,
      text,
    };
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const answer = await this.call<TokenPair>('POST', '/api/v1/auth/login', {
      body: { email, password },
    });
    if (answer.status !== 200) throw new Error(`login answered ${answer.status}`);
    return answer.body;
  }

  refresh(refreshToken: unknown): Promise<Answer<TokenPair>> {
    return this.call<TokenPair>('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
  }

  /** The status of an authenticated read, as a customer or an admin may do it. */
  async meStatus(accessToken: string): Promise<number> {
    return (await this.call('GET', '/api/v1/users/me', { token: accessToken })).status;
  }

  /** The status of a read only admins may do. */
  async adminReadStatus(accessToken: string): Promise<number> {
    return (await this.call('GET', '/api/v1/users?limit=1', { token: accessToken })).status;
  }

  /** A new customer account; answers its credentials and id. */
  async register(): Promise<{ email: string; password: string; id: string }> {
    const email = `session-${randomUUID()}@example.com`;
    const password = `pw-${randomUUID()}`;
    const answer = await this.call<{ id: string }>('POST', '/api/v1/auth/register', {
      body: { email, password, name: 'Session Tester' },
    });
    if (answer.status !== 201) throw new Error(`register answered ${answer.status}`);
    return { email, password, id: answer.body.id };
  }
}

/** Polls `check` until it answers true, or fails after `withinMs`; answers how long it took. */
export async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`still not so after ${withinMs} ms`);
    await new Promise((wait) => setTimeout(wait, 25));
  }
}
