import type { Middleware } from 'openapi-fetch';
import type { components } from './schema.js';

/** An RFC 9457 problem document, as Keel's OpenAPI document describes every error it answers. */
export type ProblemDocument = components['schemas']['ProblemDocument'];

/**
 * Keel answered with a problem document: every 4xx and 5xx does. `problem.type` is the stable
 * thing to switch on; `problem.requestId` is what to quote when reporting it.
 */
export class KeelProblem extends Error {
  override readonly name = 'KeelProblem';

  constructor(
    readonly problem: ProblemDocument,
    readonly response: Response,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Turns a problem answer into a thrown KeelProblem, so no caller can mistake it for data. */
export const problemsAsErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.headers.get('content-type')?.startsWith('application/problem+json')) return;
    throw new KeelProblem((await response.clone().json()) as ProblemDocument, response);
  },
};
