import type { Role } from '@sah/domain';

/** Who is calling, as established by the auth guard for this request. */
export interface Principal {
  userId: string;
  role: Role;
  via: 'access_token' | 'api_key' | 'verified_session';
  /** API keys only: what the key may do. */
  scopes: readonly string[];
  /** Access tokens only: the token's id and expiry (seconds since epoch), for logout. */
  tokenId?: string;
  tokenExpiresAt?: number;
  apiKeyId?: string;
}

declare module 'http' {
  interface IncomingMessage {
    principal?: Principal;
  }
}
