import type { Credits, Role } from '@sah/domain';

/** Who is calling, as established by the auth guard for this request. */
export interface Principal {
  userId: string;
  role: Role;
  via: 'access_token' | 'api_key' | 'verified_session';
  /** API keys only: what the key may do. */
  scopes: readonly string[];
  /** Access tokens only: the sign-in session the token belongs to, for logout. */
  sessionId?: string;
  apiKeyId?: string;
  /** API keys only: the key's own limit, if its owner set one. */
  apiKeyRequestsPerMinute?: number | null;
  /** API keys only: the key's monthly credit budget, enforced where its calls' credits are held. */
  apiKeyMonthlyCreditBudget?: Credits | null;
  /** API keys only: the key's tokens-per-minute limit, enforced where its AI calls are held. */
  apiKeyTokensPerMinute?: number | null;
  /** API keys only: the team whose wallet the key's calls spend (the caller being the member who spends). */
  apiKeyTeamId?: string | null;
}

declare module 'http' {
  interface IncomingMessage {
    principal?: Principal;
  }
}
