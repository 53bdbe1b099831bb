import { DataSource } from 'typeorm';
import { createAiUser } from './support/ai-fixtures';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createUser, PASSWORD, Session, signIn } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const LIST = '{ signInSessions { id startedAt lastUsedAt expiresAt device current } }';
const REVOKE = 'mutation ($id: ID!) { revokeSignInSession(id: $id) }';
const REVOKE_OTHERS = 'mutation { revokeOtherSignInSessions }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const CHROME_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36';

interface Listed {
  id: string;
  startedAt: string;
  lastUsedAt: string;
  expiresAt: string;
  device: string | null;
  current: boolean;
}

/** A sign-in from a browser: the session records the browser and OS it began on. */
async function signInWithBrowser(api: TestApp, email: string, userAgent: string): Promise<Session> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({
      query: 'mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }',
      variables: { input: { email, password: PASSWORD } },
    }),
  });
  const { login } = dataOf((await res.json()) as GraphqlResult<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>);
  return { userId: login.user.id, accessToken: login.accessToken, refreshToken: login.refreshToken };
}

describe('identity: sign-in sessions in My account → Security', () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp({ WORKERS: 'off' });
    db = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  const list = async (session: Session) => dataOf(await gql<{ signInSessions: Listed[] }>(api.url, LIST, undefined, session.accessToken)).signInSessions;
  const me = (session: Session) => gql<{ me: { id: string } }>(api.url, '{ me { id } }', undefined, session.accessToken);
  const refresh = (session: Session) => gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.url, REFRESH, { token: session.refreshToken });
  const byId = (sessions: Listed[], id: string): Listed => {
    const found = sessions.find((session) => session.id === id);
    if (!found) throw new Error(`session ${id} is not listed: ${JSON.stringify(sessions)}`);
    return found;
  };
  const sessionIdOf = (session: Session) => (JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
  const auditOf = (userId: string, action: string) =>
    db.query(`SELECT actor_id, target_id, details FROM identity_audit_log WHERE actor_id = $1 AND action = $2`, [userId, action]) as Promise<
      Array<{ actor_id: string; target_id: string; details: Record<string, unknown> }>
    >;

  it('lists both sign-ins with their times and device, marking the one the request came from', async () => {
    const user = await createUser(api);
    const laptop = await signInWithBrowser(api, user.email.value, CHROME_ON_MAC);
    const script = await signIn(api, user.email.value);

    const fromLaptop = await list(laptop);
    expect(fromLaptop.map((session) => session.id).sort()).toEqual([sessionIdOf(laptop), sessionIdOf(script)].sort());
    const laptopRow = byId(fromLaptop, sessionIdOf(laptop));
    expect(laptopRow).toMatchObject({ current: true, device: 'Chrome 131 on macOS' });
    expect(byId(fromLaptop, sessionIdOf(script))).toMatchObject({ current: false, device: null });
    expect(new Date(laptopRow.expiresAt).getTime()).toBeGreaterThan(new Date(laptopRow.startedAt).getTime());
    expect(laptopRow.lastUsedAt).toBe(laptopRow.startedAt);

    // The other device sees the same two, itself as current; a renewal keeps the id and moves lastUsedAt on.
    const renewed = { ...laptop, ...dataOf(await refresh(laptop)).refreshToken };
    const fromScript = await list(script);
    expect(fromScript.filter((session) => session.current).map((session) => session.id)).toEqual([sessionIdOf(script)]);
    const afterRenewal = byId(fromScript, sessionIdOf(laptop));
    expect(sessionIdOf(renewed)).toBe(sessionIdOf(laptop));
    expect(afterRenewal.startedAt).toBe(laptopRow.startedAt);
    expect(new Date(afterRenewal.lastUsedAt).getTime()).toBeGreaterThan(new Date(laptopRow.lastUsedAt).getTime());
    expect(afterRenewal.device).toBe('Chrome 131 on macOS');
    expect(fromScript[0].id).toBe(sessionIdOf(laptop)); // last used first
  });

  it('revoking the other session refuses its refresh token and its access token; the caller stays signed in', async () => {
    const user = await createUser(api);
    const mine = await signIn(api, user.email.value);
    const lost = await signIn(api, user.email.value);
    expect(dataOf(await me(lost)).me.id).toBe(user.id);

    expect(dataOf(await gql(api.url, REVOKE, { id: sessionIdOf(lost) }, mine.accessToken))).toEqual({ revokeSignInSession: true });

    expect(errorCode(await me(lost))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(lost))).toBe('UNAUTHENTICATED');
    expect((await list(mine)).map((session) => session.id)).toEqual([sessionIdOf(mine)]);
    expect(dataOf(await me(mine)).me.id).toBe(user.id);
    expect(dataOf(await refresh(mine)).refreshToken.accessToken).toEqual(expect.any(String));
    expect(await auditOf(user.id, 'user.session_revoked')).toEqual([
      { actor_id: user.id, target_id: user.id, details: { sessionId: sessionIdOf(lost), current: false } },
    ]);

    // Once ended it is gone: a second revocation finds nothing.
    expect(errorCode(await gql(api.url, REVOKE, { id: sessionIdOf(lost) }, mine.accessToken))).toBe('NOT_FOUND');
  });

  it("another user's session id, an unknown id and a malformed one are NOT_FOUND, and the other user's session keeps working", async () => {
    const owner = await createUser(api);
    const stranger = await signIn(api, (await createUser(api)).email.value);
    const victim = await signIn(api, owner.email.value);

    for (const id of [sessionIdOf(victim), '00000000-0000-4000-8000-000000000000', 'not-a-session-id']) {
      const result = await gql(api.url, REVOKE, { id }, stranger.accessToken);
      expect({ id, code: errorCode(result), status: result.status }).toEqual({ id, code: 'NOT_FOUND', status: 200 });
    }
    expect(dataOf(await me(victim)).me.id).toBe(owner.id);
    expect(dataOf(await refresh(victim)).refreshToken.accessToken).toEqual(expect.any(String));
    expect((await list(stranger)).map((session) => session.id)).toEqual([sessionIdOf(stranger)]);
    expect(await auditOf(stranger.userId, 'user.session_revoked')).toEqual([]);
  });

  it('signing out every other session keeps the current one working and ends the rest', async () => {
    const user = await createUser(api);
    const mine = await signIn(api, user.email.value);
    const others = [await signIn(api, user.email.value), await signIn(api, user.email.value)];

    expect(dataOf(await gql(api.url, REVOKE_OTHERS, undefined, mine.accessToken))).toEqual({ revokeOtherSignInSessions: 2 });

    for (const other of others) {
      expect(errorCode(await me(other))).toBe('UNAUTHENTICATED');
      expect(errorCode(await refresh(other))).toBe('UNAUTHENTICATED');
    }
    expect(dataOf(await me(mine)).me.id).toBe(user.id);
    const renewed = { ...mine, ...dataOf(await refresh(mine)).refreshToken };
    expect(await list(renewed)).toEqual([expect.objectContaining({ id: sessionIdOf(mine), current: true })]);
    expect(await auditOf(user.id, 'user.other_sessions_revoked')).toEqual([
      { actor_id: user.id, target_id: user.id, details: { count: 2 } },
    ]);
    // Nothing left to end: zero, and still signed in.
    expect(dataOf(await gql(api.url, REVOKE_OTHERS, undefined, renewed.accessToken))).toEqual({ revokeOtherSignInSessions: 0 });
    expect(dataOf(await me(renewed)).me.id).toBe(user.id);
  });

  it('is for signed-in sessions only: an API key and no credential are refused', async () => {
    const { apiKey } = await createAiUser(api);
    expect(errorCode(await gql(api.url, LIST, undefined, apiKey))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, REVOKE_OTHERS, undefined, apiKey))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, LIST))).toBe('UNAUTHENTICATED');
  });
});
