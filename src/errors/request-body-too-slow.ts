/**
 * A request's body did not arrive within REQUEST_BODY_TIMEOUT_MS of its headers: the error table
 * answers 408 (http/body-deadline.hook.ts).
 */
export class RequestBodyTooSlow extends Error {
  constructor(readonly timeoutMs: number) {
    super('Request body too slow');
    this.name = 'RequestBodyTooSlow';
  }
}
