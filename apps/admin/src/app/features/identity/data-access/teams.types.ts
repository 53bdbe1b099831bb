import type {
  AcceptTeamInvitationMutation,
  MyTeamsQuery,
  TeamInvitationFieldsFragment,
  TeamMembershipQuery,
  TeamWalletFieldsFragment,
  TeamWalletTransactionsQuery,
} from '../../../core/graphql/operations.generated';

/** The Teams page's names for the generated operation types (teams.graphql). */
export type MyTeam = MyTeamsQuery['teams'][number];
export type TeamMembership = TeamMembershipQuery['team'];
/** A member as the members table shows it: `id` is the user's, for the row's actions. */
export type TeamMember = TeamMembership['members'][number] & { readonly id: string };
export type TeamInvitation = TeamInvitationFieldsFragment;
export type JoinedTeam = AcceptTeamInvitationMutation['acceptTeamInvitation'];

/** A member's role within a team, as the API spells it. */
export type TeamRole = 'member' | 'manager';
export const TEAM_ROLES: readonly TeamRole[] = ['member', 'manager'];

export type TeamWallet = TeamWalletFieldsFragment;
export type TeamMemberBudget = TeamWallet['members'][number];
export type TeamWalletHistory = TeamWalletTransactionsQuery['teamWalletTransactions'];
export type TeamWalletEntry = TeamWalletHistory['items'][number];
/** A member's limits as the API takes them: credits, null for none. */
export interface MemberLimits {
  readonly dailyCredits: number | null;
  readonly monthlyCredits: number | null;
}
