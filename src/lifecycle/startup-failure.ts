/**
 * A start-up failure that is the machine's state, not a bug in Keel (the port is taken, the data is
 * in use): its message is the whole story, printed as one line without a stack (issue 9, item 20).
 */
export class StartupFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupFailure';
  }
}
