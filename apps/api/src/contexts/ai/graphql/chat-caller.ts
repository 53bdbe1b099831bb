import { DomainError } from '@sah/domain';
import type { TeamMembershipStore } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { aiCaller, type AiCaller } from '../application/chat-gateway.service';

/**
 * Who pays for a console (GraphQL) chat: the caller, or a team they belong to when `teamId` names
 * one. Membership is what counts, not the account role: an administrator outside the team, like
 * anyone else, is told it does not exist. An API key spends as it was made, so it cannot name
 * another team.
 */
export async function chatCaller(principal: Principal, teamId: string | null | undefined, memberships: TeamMembershipStore): Promise<AiCaller> {
  const caller = aiCaller(principal, 'graphql');
  if (!teamId) return caller;
  if (principal.apiKeyId) {
    if (caller.teamId === teamId) return caller;
    throw DomainError.badInput('An API key spends as it was made: make a key in the team’s name to spend its wallet', { field: 'teamId' });
  }
  if (!(await memberships.roleOf(teamId, principal.userId))) throw DomainError.notFound('Team', { teamId });
  return { ...caller, teamId };
}
