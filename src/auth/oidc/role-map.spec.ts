import { keelRole, parseRoleMap } from './role-map.js';

describe('parseRoleMap and keelRole', () => {
  it('maps provider roles named admin and customer as they are, with no map at all', () => {
    const map = parseRoleMap(undefined);
    expect(keelRole(['admin'], map)).toBe('admin');
    expect(keelRole(['customer'], map)).toBe('customer');
  });

  it('maps the provider’s own role names through OIDC_ROLE_MAP, spaces ignored', () => {
    const map = parseRoleMap(' keel-admins = admin , staff=customer');
    expect(keelRole(['keel-admins'], map)).toBe('admin');
    expect(keelRole(['staff'], map)).toBe('customer');
  });

  it('lets the map give a provider role named like a Keel role another meaning', () => {
    expect(keelRole(['admin'], parseRoleMap('admin=customer'))).toBe('customer');
  });

  it('grants admin over customer when both map', () => {
    const map = parseRoleMap('staff=customer,keel-admins=admin');
    expect(keelRole(['staff', 'keel-admins'], map)).toBe('admin');
  });

  it('grants nothing for roles that do not map, or for none', () => {
    const map = parseRoleMap('keel-admins=admin');
    expect(keelRole(['offline_access', 'uma_authorization'], map)).toBeUndefined();
    expect(keelRole([], map)).toBeUndefined();
  });

  it('is case-sensitive, as providers are', () => {
    expect(keelRole(['Keel-Admins'], parseRoleMap('keel-admins=admin'))).toBeUndefined();
  });
});
