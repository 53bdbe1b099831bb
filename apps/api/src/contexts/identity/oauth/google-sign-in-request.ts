import { DomainError } from '@sah/domain';
import type { Request } from 'express';

/** Third-party tools that may start a sign-in, by the name they pass as `return_to`. */
export const RETURN_TARGETS = { chatgpt: 'ChatGPT' } as const;
export type ReturnTarget = keyof typeof RETURN_TARGETS;

/** What `GET /auth/google` was asked for, kept with the state until Google sends the browser back. */
export interface GoogleSignInRequest {
  /** The third-party tool's session: present, the sign-in ends with a VERIFIED code for it. */
  session?: string;
  returnTo?: ReturnTarget;
}

// RFC 3986 unreserved characters: the id travels in URLs untouched.
const EXTERNAL_SESSION_ID = /^[A-Za-z0-9._~-]{1,200}$/;

export function parseSignInRequest(query: Request['query']): GoogleSignInRequest {
  const { session, return_to: returnTo } = query;
  if (session !== undefined && (typeof session !== 'string' || !EXTERNAL_SESSION_ID.test(session))) {
    throw DomainError.badInput('session must be 1 to 200 URL-safe characters (letters, digits, . _ ~ -)', {
      field: 'session',
    });
  }
  if (returnTo !== undefined && !isReturnTarget(returnTo)) {
    throw DomainError.badInput(`return_to must be one of ${Object.keys(RETURN_TARGETS).join(', ')}`, {
      field: 'return_to',
    });
  }
  return { session, returnTo };
}

export function isGoogleSignInRequest(value: unknown): value is GoogleSignInRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { session, returnTo } = value as Record<string, unknown>;
  return (
    (session === undefined || typeof session === 'string') &&
    (returnTo === undefined || isReturnTarget(returnTo))
  );
}

function isReturnTarget(value: unknown): value is ReturnTarget {
  return typeof value === 'string' && Object.hasOwn(RETURN_TARGETS, value);
}
