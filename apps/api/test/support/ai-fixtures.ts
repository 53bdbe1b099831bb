import { SettlementsAfterReply } from '../../src/contexts/ai/application/settlements-after-reply';
import { dataOf, gql } from './graphql-client';
import { createSignedInUser } from './identity-fixtures';
import type { TestApp } from './test-app';

/** A signed-in user and an API key of theirs with the `ai.use` scope, as an SDK user would hold. */
export async function createAiUser(api: TestApp, role: 'USER' | 'GUEST' = 'USER') {
  const session = await createSignedInUser(api, role);
  const created = await gql<{ createApiKey: { secret: string } }>(
    api.url,
    'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: 'sdk', scopes: ['ai.use'] } },
    session.accessToken,
  );
  return { ...session, apiKey: dataOf(created).createApiKey.secret };
}

export interface UsageRow {
  user_id: string;
  endpoint: string;
  model: string;
  provider: string;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  credits: string;
  status: string;
  error_code: string | null;
  attempts: number;
}

/** Waits until the calls these API instances have answered are settled (just after their answers). */
export async function settled(...apis: TestApp[]): Promise<void> {
  await Promise.all(apis.map((api) => api.app.get(SettlementsAfterReply).idle()));
}

/** A reader of the ledger or the usage records that first waits for the calls already answered to be settled. */
export function settling<A extends unknown[], R>(api: () => TestApp, read: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    await settled(api());
    return read(...args);
  };
}
