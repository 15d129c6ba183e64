import type { Reply } from './test-app.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

/** Asserts an RFC 9457 body that gives nothing away (no stack, SQL, constraint or library text). */
export function expectProblem(reply: Reply<unknown>, status: number): ProblemBody {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({
    type: expect.stringMatching(/^https:\/\/keel\.dev\/problems\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
  });
  expect(reply.text).not.toMatch(
    /\bat \S+ \(|\.ts:\d+|select |insert |update "|constraint|customers_email|mikro|FST_|SyntaxError|Unexpected token/i,
  );
  return reply.body as ProblemBody;
}
