/**
 * Errors the services throw. Each names what went wrong in the domain's words; `src/http/error-table.ts`
 * is the one place that decides how a kind of error looks over HTTP.
 */
export abstract class DomainError extends Error {
  /** Safe to show to a client: no internals, no input echoed beyond identifiers. */
  abstract override readonly message: string;

  constructor() {
    super();
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or is not visible to the caller). */
export abstract class NotFoundError extends DomainError {}

/** The request clashes with the current state (a duplicate, a wrong state). */
export abstract class ConflictError extends DomainError {}

/** The input is malformed in a way the transport validation could not see. */
export abstract class InvalidInputError extends DomainError {}

/** The input is well-formed but breaks a business rule. */
export abstract class RuleViolationError extends DomainError {}

/** The caller's copy is stale (optimistic concurrency). */
export abstract class StaleVersionError extends DomainError {}

/** The caller is not (or no longer) authenticated. */
export abstract class UnauthenticatedError extends DomainError {}

/** The caller is authenticated but may not do this at all (ownership is answered as not found). */
export abstract class ForbiddenError extends DomainError {}
