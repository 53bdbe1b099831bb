import { randomUUID } from 'node:crypto';
import { FakeSmtp } from './support/fake-smtp';
import { FakeStripe } from './support/fake-stripe';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

type Account = Awaited<ReturnType<typeof createSignedInUser>>;

const CREATE_PLAN = 'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { code } }';
const SUBSCRIBE = 'mutation ($input: SubscribeToPlanInput!) { subscribeToPlan(input: $input) { sessionId } }';
const MY_PLAN = '{ myPlan { plan { code } } }';
const CREATE_TEAM = 'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }';
const ADD_MEMBER = 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }';
const INVITE = 'mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }';
const ACCEPT = 'mutation ($token: String!) { acceptTeamInvitation(token: $token) { id myRole } }';
const REVOKE = 'mutation ($id: ID!) { revokeTeamInvitation(id: $id) { status } }';
const REMOVE = 'mutation ($input: RemoveTeamMemberInput!) { removeTeamMember(input: $input) }';
const SEATS = 'query ($id: ID!) { team(id: $id) { seats { limit taken } } }';

/**
 * A plan of more than one seat covers the teams its holder manages: members and pending invitations
 * together stay within its seats, whoever invites and however many invitations race. Teams no such
 * plan covers (their managers on Free or another single-seat plan) keep no seat limit; the
 * invitations suite runs those.
 */
describe('Team seats from a Team plan (the stripe SDK against a local fake Stripe)', () => {
  const stripe = new FakeStripe();
  const smtp = new FakeSmtp();
  let api: TestApp;
  let admin: Account;

  beforeAll(async () => {
    await Promise.all([stripe.start(), smtp.start()]);
    api = await startTestApp({ ...stripe.env(), SMTP_URL: smtp.url, TEAM_INVITATIONS_PER_HOUR: '100' });
    admin = await createSignedInUser(api, 'ADMIN');
    stripe.sendEventsTo(`${api.url}/api/v1/payments/stripe/webhook`);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([stripe.stop(), smtp.stop()]);
  });

  const call = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, bearer: string) => gql<T>(api.url, query, variables, bearer);
  const refusalOf = (result: GraphqlResult) => ({ code: errorCode(result), reason: result.errors?.[0]?.extensions.details?.['reason'] });

  const deliver = async (payload: string) => expect(await FakeStripe.deliver(api.url, payload)).toBe(200);

  /** A manager whose checkout for a new plan of `seats` seats completed and whose first invoice was paid, and their team. */
  async function teamOnPlan(seats: number) {
    const code = `team-${randomUUID().slice(0, 8)}`;
    const input = { code, name: 'Team test plan', priceCents: 19900, monthlyCredits: 100, requestsPerMonth: 10_000, seats };
    dataOf(await call(CREATE_PLAN, { input }, admin.accessToken));
    const manager = await createSignedInUser(api);
    const { sessionId } = dataOf(
      await call<{ subscribeToPlan: { sessionId: string } }>(
        SUBSCRIBE,
        { input: { plan: code, successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/cancel' } },
        manager.accessToken,
      ),
    ).subscribeToPlan;
    const { session, subscription } = stripe.completedSubscriptionSession(sessionId);
    await deliver(stripe.event('checkout.session.completed', session));
    await deliver(stripe.event('invoice.paid', stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_create', paid: true })));
    expect(dataOf(await call<{ myPlan: { plan: { code: string } } }>(MY_PLAN, {}, manager.accessToken)).myPlan.plan.code).toBe(code);

    const teamName = `Seats ${randomUUID().slice(0, 8)}`;
    const team = dataOf(await call<{ createTeam: { id: string } }>(CREATE_TEAM, { input: { name: teamName } }, admin.accessToken)).createTeam;
    dataOf(await call(ADD_MEMBER, { input: { teamId: team.id, userId: manager.userId, role: 'manager' } }, admin.accessToken));
    return { teamId: team.id, teamName, manager, stripeSubscriptionId: subscription.id };
  }

  const seatsOf = async (teamId: string, bearer: string) =>
    dataOf(await call<{ team: { seats: { limit: number; taken: number } | null } }>(SEATS, { id: teamId }, bearer)).team.seats;

  const invite = (teamId: string, email: string, bearer: string) =>
    call<{ inviteTeamMember: { id: string } }>(INVITE, { input: { teamId, email, role: 'member' } }, bearer);

  async function mailedToken(email: string, teamName: string): Promise<string> {
    const mail = await smtp.waitFor(email, new RegExp(`invited to join ${teamName}`), 15_000);
    return decodeURIComponent(/invitations\/accept\?token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(mail))?.[1] ?? '');
  }

  it('members and pending invitations share the seats: racing invitations take only the free ones, and a full team takes no one', async () => {
    const { teamId, teamName, manager } = await teamOnPlan(3);
    const invitees = await Promise.all([1, 2, 3, 4].map(() => createSignedInUser(api)));

    // The manager holds one of the three seats: of four invitations sent at once, two get a seat.
    const sent = await Promise.all(invitees.map(async (invitee) => ({ invitee, result: await invite(teamId, invitee.email, manager.accessToken) })));
    const granted = sent.filter(({ result }) => result.data);
    const refused = sent.filter(({ result }) => !result.data);
    expect(granted).toHaveLength(2);
    for (const { result } of refused) expect(refusalOf(result)).toEqual({ code: 'CONFLICT', reason: 'NO_SEAT_LEFT' });
    const [first, second] = granted.map(({ invitee, result }) => ({ invitee, id: dataOf(result).inviteTeamMember.id }));
    const waiting = refused[0]?.invitee;
    if (!first || !second || !waiting) throw new Error('expected two invitations granted and two refused');
    expect(await seatsOf(teamId, manager.accessToken)).toEqual({ limit: 3, taken: 3 });
    // An address already invited is told so, full team or not.
    expect(refusalOf(await invite(teamId, first.invitee.email, manager.accessToken))).toEqual({ code: 'CONFLICT', reason: 'ALREADY_INVITED' });

    // A revoked invitation frees its seat.
    expect(dataOf(await call<{ revokeTeamInvitation: { status: string } }>(REVOKE, { id: second.id }, manager.accessToken)).revokeTeamInvitation.status).toBe('revoked');
    expect(dataOf(await invite(teamId, waiting.email, manager.accessToken)).inviteTeamMember.id).toBeDefined();

    // An administrator adding a member directly is not held to the seats: the team is now over them.
    const added = await createSignedInUser(api);
    dataOf(await call(ADD_MEMBER, { input: { teamId, userId: added.userId, role: 'member' } }, admin.accessToken));
    expect(refusalOf(await invite(teamId, `late-${randomUUID()}@example.com`, admin.accessToken))).toEqual({ code: 'CONFLICT', reason: 'NO_SEAT_LEFT' });

    // Two members and two invitations: the first to accept takes the last seat, the second finds none.
    const firstToken = await mailedToken(first.invitee.email, teamName);
    const waitingToken = await mailedToken(waiting.email, teamName);
    expect(dataOf(await call<{ acceptTeamInvitation: { myRole: string } }>(ACCEPT, { token: firstToken }, first.invitee.accessToken)).acceptTeamInvitation.myRole).toBe('member');
    expect(await seatsOf(teamId, manager.accessToken)).toEqual({ limit: 3, taken: 4 });
    // Seats are the managers' business.
    expect(await seatsOf(teamId, first.invitee.accessToken)).toBeNull();
    expect(refusalOf(await call(ACCEPT, { token: waitingToken }, waiting.accessToken))).toEqual({ code: 'CONFLICT', reason: 'NO_SEAT_LEFT' });

    // A member removed frees a seat, and the same link works.
    expect(dataOf(await call<{ removeTeamMember: boolean }>(REMOVE, { input: { teamId, userId: added.userId } }, manager.accessToken)).removeTeamMember).toBe(true);
    expect(dataOf(await call<{ acceptTeamInvitation: { id: string } }>(ACCEPT, { token: waitingToken }, waiting.accessToken)).acceptTeamInvitation.id).toBe(teamId);
  });

  it('a team whose plan ended has no seat limit', async () => {
    const { teamId, manager, stripeSubscriptionId } = await teamOnPlan(2);
    expect(dataOf(await invite(teamId, `one-${randomUUID()}@example.com`, manager.accessToken)).inviteTeamMember.id).toBeDefined();
    expect(refusalOf(await invite(teamId, `two-${randomUUID()}@example.com`, manager.accessToken))).toEqual({ code: 'CONFLICT', reason: 'NO_SEAT_LEFT' });

    await deliver(stripe.event('customer.subscription.deleted', stripe.billing.endSubscription(stripeSubscriptionId)));
    expect(await seatsOf(teamId, manager.accessToken)).toBeNull();
    expect(dataOf(await invite(teamId, `two-${randomUUID()}@example.com`, manager.accessToken)).inviteTeamMember.id).toBeDefined();
  });
});
