import { assignableRoles, canManage, hasPermission, highestRole } from './roles';

describe('roles', () => {
  it('takes the highest of several roles as the effective one', () => {
    expect(highestRole(['USER', 'ADMIN', 'MANAGER'])).toBe('ADMIN');
    expect(highestRole([])).toBeNull();
  });

  it('offers only roles strictly below the caller’s own, highest first', () => {
    expect(assignableRoles(['SUPER_ADMIN'])).toEqual(['ADMIN', 'MANAGER', 'USER', 'GUEST']);
    expect(assignableRoles(['ADMIN'])).toEqual(['MANAGER', 'USER', 'GUEST']);
    expect(assignableRoles(['MANAGER'])).toEqual(['USER', 'GUEST']);
    expect(assignableRoles(['GUEST'])).toEqual([]);
    expect(assignableRoles([])).toEqual([]);
  });

  it('lets a caller manage only accounts below them', () => {
    expect(canManage(['ADMIN'], ['USER'])).toBe(true);
    expect(canManage(['ADMIN'], ['ADMIN'])).toBe(false);
    expect(canManage(['ADMIN'], ['SUPER_ADMIN'])).toBe(false);
    expect(canManage(['SUPER_ADMIN'], ['ADMIN'])).toBe(true);
  });

  it('reads permissions from the shared matrix', () => {
    expect(hasPermission(['ADMIN'], 'audit:read')).toBe(true);
    expect(hasPermission(['MANAGER'], 'users:manage')).toBe(false);
    expect(hasPermission(['USER'], 'api-keys:manage')).toBe(true);
    expect(hasPermission(['GUEST'], 'api-keys:manage')).toBe(false);
  });
});
