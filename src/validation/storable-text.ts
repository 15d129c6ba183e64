/** One string PostgreSQL could not store, where it was found. */
export interface UnstorableText {
  /** Dotted path of the field (`items.0.productId`); a key's own text, escaped, for a bad key. */
  field: string;
  reason: string;
}

/**
 * Why PostgreSQL cannot store `text` as it is, or undefined if it can. NUL ends a string in
 * PostgreSQL's wire protocol (the query fails with 08P01, "invalid message format"); an unpaired
 * UTF-16 surrogate has no UTF-8 form, so the driver silently stores U+FFFD instead.
 */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (!text.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** A key as it can be shown in an error: escaped like JSON, and never longer than 64 characters. */
const printableKey = (key: string): string => JSON.stringify(key.slice(0, 64)).slice(1, -1);

/**
 * Every string in a parsed body, query or route parameters that PostgreSQL could not store,
 * object keys included, up to `limit` of them. Iterative: the value may be as deep as the JSON
 * depth limit allows, or deeper when called on something else.
 */
export function findUnstorableText(value: unknown, limit = 20): UnstorableText[] {
  const found: UnstorableText[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
  while (pending.length > 0 && found.length < limit) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) found.push({ field: path || 'body', reason });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current).reverse();
      for (const [key, child] of entries) {
        const keyReason = unstorableReason(key);
        if (keyReason) found.push({ field: join(path, printableKey(key)), reason: keyReason });
        pending.push({ value: child, path: join(path, keyReason ? printableKey(key) : key) });
      }
    }
  }
  return found.slice(0, limit);
}
