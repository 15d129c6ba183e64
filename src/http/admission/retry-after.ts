/** The longest Retry-After, as a multiple of the shortest (the line's bound, in seconds). */
export const LONGEST_RETRY_AFTER_FACTOR = 2;

/**
 * The Retry-After of a refused request, in whole seconds (docs/decisions/0145-retry-after-grows-with-the-crowd.md):
 * when the service expects room for this client. `comebackMs` is how long the service needs, at
 * its measured pace, to serve every client already waiting or told to come back. Never shorter than
 * `shortestSeconds` (the line's bound: a client that comes back sooner would only wait in line),
 * never longer than twice that, so a client that honours it is not kept away for long once the
 * overload ends.
 */
export function retryAfterSeconds(shortestSeconds: number, comebackMs: number): number {
  const longest = shortestSeconds * LONGEST_RETRY_AFTER_FACTOR;
  return Math.min(longest, Math.max(shortestSeconds, Math.ceil(comebackMs / 1000)));
}
