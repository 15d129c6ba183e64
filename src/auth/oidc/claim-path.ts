/**
 * The value at OIDC_ROLES_CLAIM in a token's payload. A claim named exactly so wins (namespaced
 * claims such as Auth0's `https://example.com/roles` contain dots); otherwise the path is walked
 * one dot at a time, as Keycloak's `realm_access.roles`.
 */
export function claimAt(payload: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** The role names at that path: an array of strings, or one string; anything else is none. */
export function rolesAt(payload: Readonly<Record<string, unknown>>, path: string): string[] {
  const value = claimAt(payload, path);
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
