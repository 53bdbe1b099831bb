import { Credits } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { LedgerService } from '../../src/contexts/billing/application/ledger.service';
import { dataOf, gql } from './graphql-client';
import { createSignedInUser } from './identity-fixtures';
import type { TestApp } from './test-app';

/** Gives the user credits through the real ledger, as an admin grant. */
export async function fund(api: TestApp, userId: string, credits: string | number): Promise<void> {
  await api.app.get(LedgerService).grant({ userId, type: 'grant', amount: Credits.parse(credits), reason: 'test funding' });
}

/** An admin's API key with the partner.credits scope, as a partner's server would hold. */
export async function createPartnerKey(api: TestApp): Promise<string> {
  const admin = await createSignedInUser(api, 'ADMIN');
  const created = await gql<{ createApiKey: { secret: string } }>(
    api.url,
    'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: `partner-${randomUUID().slice(0, 8)}`, scopes: ['partner.credits'] } },
    admin.accessToken,
  );
  return dataOf(created).createApiKey.secret;
}

export interface PartnerCall {
  bearer?: string;
  userId?: string;
  /** X-Team-ID: the team whose wallet pays, the user spending as its member. */
  teamId?: string;
  idempotencyKey?: string;
  /** The HTTP client's connection pool, where a test bounds how many connections it opens. */
  dispatcher?: Dispatcher;
}

export interface PartnerResponse {
  status: number;
  headers: Headers;
  body: {
    data?: { sufficient?: boolean; balance?: number; status?: string; new_balance?: number; transaction_id?: string };
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
}

/** POST /api/mcp/v1/credits/<check|deduct> the way partners call it. */
export async function partner(api: TestApp, action: 'check' | 'deduct', body: unknown, call: PartnerCall): Promise<PartnerResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (call.bearer) headers.authorization = `Bearer ${call.bearer}`;
  if (call.userId) headers['x-user-id'] = call.userId;
  if (call.teamId) headers['x-team-id'] = call.teamId;
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  const init = { method: 'POST', headers, body: JSON.stringify(body), dispatcher: call.dispatcher };
  const response = await fetch(`${api.url}/api/mcp/v1/credits/${action}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as PartnerResponse['body'] };
}
