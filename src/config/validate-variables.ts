import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class InvalidEnvironment extends Error {
  constructor(readonly problems: string[]) {
    // One problem, one line: what a start-up failure prints (issue 9, item 20).
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'InvalidEnvironment';
  }
}

/**
 * Validates raw variables into `variables`, a class whose properties are the variable names with
 * their defaults and class-validator rules. Empty values count as unset; unknown names are ignored.
 */
export function validateVariables<T extends object>(
  variables: new () => T,
  raw: Record<string, unknown>,
): T {
  const known = Object.keys(new variables());
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => value !== '' && known.includes(key)),
  );
  const validated = plainToInstance(variables, relevant, { exposeDefaultValues: true });
  const errors = validateSync(validated, { skipMissingProperties: false });
  if (errors.length > 0) {
    // A variable whose rules share one message (REPLICA_MAX_LAG_MS) says it once.
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new InvalidEnvironment([...new Set(problems)]);
  }
  return validated;
}
