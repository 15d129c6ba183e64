/**
 * Optimistic concurrency over HTTP (RFC 9110): a resource's ETag is its version, `If-Match` names
 * the version a client read. Strong tags; `W/` prefixes from proxies are tolerated when comparing.
 */
export const etagFor = (version: number): string => `"${version}"`;

const tagsIn = (header: string): string[] =>
  header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter(Boolean);

/** True when an `If-None-Match` header names the current tag (or `*`). */
export function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const tags = tagsIn(header);
  return tags.includes('*') || tags.includes(etag.replace(/^W\//, ''));
}

/**
 * The version an `If-Match` header expects: undefined when absent or `*` (no precondition), -1
 * when it names no version that can exist, so the caller answers 412.
 */
export function expectedVersion(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const tags = tagsIn(header);
  if (tags.includes('*')) return undefined;
  const versions = tags.map((tag) => /^"(\d{1,9})"$/.exec(tag)?.[1]).filter((v) => v !== undefined);
  return versions.length === 1 ? Number(versions[0]) : -1;
}
