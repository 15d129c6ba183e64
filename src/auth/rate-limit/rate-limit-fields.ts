/**
 * The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10, Structured Fields lists;
 * decision 0217): `RateLimit-Policy` names each quota that applies and its window, `RateLimit`
 * what is left of it. One item per throttler that counted the request, in the guard's order.
 */

/** Header names, as the draft spells them. */
export const RATE_LIMIT_POLICY_FIELD = 'RateLimit-Policy';
export const RATE_LIMIT_FIELD = 'RateLimit';

/** `"auth-ip";q=5;w=60`: a quota of `quota` requests per window of `windowSeconds`. */
export const policyItem = (name: string, quota: number, windowSeconds: number): string =>
  `"${name}";q=${quota};w=${windowSeconds}`;

/** `"auth-ip";r=4;t=58`: `remaining` requests until the window resets in `resetSeconds`. */
export const remainingItem = (name: string, remaining: number, resetSeconds: number): string =>
  `"${name}";r=${Math.max(0, remaining)};t=${Math.max(0, resetSeconds)}`;

/** A list member added to a field that may already hold one (Structured Fields list syntax). */
export const appendItem = (existing: unknown, item: string): string =>
  typeof existing === 'string' && existing !== '' ? `${existing}, ${item}` : item;
