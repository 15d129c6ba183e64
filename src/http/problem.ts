/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  /** Server errors only, when tracing is on: the trace to look up. */
  traceId?: string;
  /** Validation problems only: one entry per offending field. */
  errors?: FieldError[];
}

export interface FieldError {
  /** Dotted path of the field in the request (`items.0.quantity`), or the query/param name. */
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are documented at these URIs (see docs/decisions/0004-error-format.md). */
export const problemType = (slug: string): string => `https://keel.dev/problems/${slug}`;
