/** More requests than can be served in time: the error table answers 503 with Retry-After. */
export class ServiceOverloaded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Service overloaded');
    this.name = 'ServiceOverloaded';
  }
}
