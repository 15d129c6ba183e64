import { claimAt, rolesAt } from './claim-path.js';

describe('claimAt and rolesAt', () => {
  const keycloak = { realm_access: { roles: ['keel-admins', 'offline_access'] }, roles: ['top'] };

  it('reads a top-level claim', () => {
    expect(rolesAt(keycloak, 'roles')).toEqual(['top']);
  });

  it('walks a dotted path such as Keycloak’s realm_access.roles', () => {
    expect(rolesAt(keycloak, 'realm_access.roles')).toEqual(['keel-admins', 'offline_access']);
  });

  it('prefers a claim named exactly so: namespaced claims contain dots', () => {
    const auth0 = { 'https://keel.example.com/roles': ['admin'] };
    expect(rolesAt(auth0, 'https://keel.example.com/roles')).toEqual(['admin']);
  });

  it('takes one string as one role and drops entries that are not strings', () => {
    expect(rolesAt({ role: 'customer' }, 'role')).toEqual(['customer']);
    expect(rolesAt({ roles: ['admin', 7, null, { name: 'x' }] }, 'roles')).toEqual(['admin']);
  });

  it('finds nothing on a missing or non-object step', () => {
    expect(claimAt(keycloak, 'resource_access.keel.roles')).toBeUndefined();
    expect(rolesAt({ realm_access: 'roles' }, 'realm_access.roles')).toEqual([]);
    expect(rolesAt({ realm_access: null }, 'realm_access.roles')).toEqual([]);
    expect(rolesAt({ roles: { admin: true } }, 'roles')).toEqual([]);
  });

  it('never reads inherited properties', () => {
    expect(claimAt({}, 'constructor')).toBeUndefined();
    expect(claimAt({ a: {} }, 'a.__proto__')).toBeUndefined();
  });
});
