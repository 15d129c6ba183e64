import { InvalidInputError } from '../../errors/domain-error.js';

/** The header a write answers with and a read may send back (decision 0200). */
export const CONSISTENCY_TOKEN_HEADER = 'Consistency-Token';

export class MalformedConsistencyToken extends InvalidInputError {
  readonly message =
    'The Consistency-Token header must be a token a write answered with, such as 0/3000148.';
}
