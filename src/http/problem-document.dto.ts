/** The OpenAPI shape of `Problem` (problem.ts); a class so the Swagger plugin can read it. */
export class FieldErrorDocument {
  field!: string;
  message!: string;
}

/** RFC 9457 problem details, as every error response of the API is shaped. */
export class ProblemDocument {
  /** Identifies the kind of problem; stable, switch on it. */
  type!: string;
  title!: string;
  status!: number;
  detail!: string;
  /** The request path. */
  instance!: string;
  /** Quote it when reporting a problem. */
  requestId!: string;
  /** Server errors (5xx) only, when tracing is on: the OpenTelemetry trace of the request. */
  traceId?: string;
  /** Validation problems only: one entry per invalid field. */
  errors?: FieldErrorDocument[];
}
