import { API_KEY_SCOPES, effectiveApiKeyScopes, mayGrantApiKeyScope } from './api-key-scope';
import { ROLES } from './role';

describe('API key scopes', () => {
  it('lets a role grant only what it may do itself, and only if it may manage keys', () => {
    const grantable = Object.fromEntries(ROLES.map((role) => [role, API_KEY_SCOPES.filter((scope) => mayGrantApiKeyScope(role, scope))]));
    expect(grantable).toEqual({
      SUPER_ADMIN: ['ai.use', 'credits.read', 'media.create', 'partner.credits', 'webhooks.manage'],
      ADMIN: ['ai.use', 'credits.read', 'media.create', 'partner.credits', 'webhooks.manage'],
      MANAGER: ['ai.use', 'credits.read', 'media.create', 'webhooks.manage'],
      USER: ['ai.use', 'credits.read', 'media.create', 'webhooks.manage'],
      GUEST: [],
    });
  });

  it('acts with the intersection of its scopes and what the owner’s current role may grant', () => {
    expect(effectiveApiKeyScopes('USER', ['ai.use', 'partner.credits'])).toEqual(['ai.use']);
    expect(effectiveApiKeyScopes('GUEST', ['ai.use'])).toEqual([]);
    expect(effectiveApiKeyScopes('ADMIN', ['ai.use', 'no.such-scope'])).toEqual(['ai.use']);
  });
});
