import { ROLES, type Role } from '../roles.js';

/** Provider role name → Keel role. */
export type RoleMap = ReadonlyMap<string, Role>;

/**
 * OIDC_ROLE_MAP (`keel-admins=admin,staff=customer`) on top of the identity: provider roles named
 * `admin` and `customer` mean those roles unless the map says otherwise. The variable's format was
 * checked at start (src/config/environment.ts).
 */
export function parseRoleMap(text: string | undefined): RoleMap {
  const map = new Map<string, Role>(ROLES.map((role) => [role, role]));
  for (const pair of (text ?? '').split(',')) {
    const [providerRole, keelRole] = pair.split('=').map((part) => part.trim());
    if (providerRole && (ROLES as readonly string[]).includes(keelRole)) {
      map.set(providerRole, keelRole as Role);
    }
  }
  return map;
}

/** The Keel role the provider's roles grant: admin over customer; none when no role maps. */
export function keelRole(providerRoles: readonly string[], map: RoleMap): Role | undefined {
  const granted = new Set(providerRoles.flatMap((name) => map.get(name) ?? []));
  return ROLES.find((role) => granted.has(role));
}
