import type {
  AddTeamMemberInput as AddTeamMemberInputType,
  ApiKeyFieldsFragment,
  AuditLogFilterInput,
  AuditLogQuery,
  CreateApiKeyInput as CreateApiKeyInputType,
  CreateApiKeyMutation,
  IdentityUserFieldsFragment,
  TeamFieldsFragment,
  UsersFilterInput,
  VerifiedSessionsQuery,
} from '../../../core/graphql/operations.generated';

/**
 * The identity pages' names for the generated operation types (identity.graphql), narrowed where the
 * API sends a documented string, and the option lists the pages offer.
 */

export type { Page, PageInfo } from '../../../shared/data/page';

/** `User.status` is a String in the schema; these are its documented values. */
export type UserStatus = 'active' | 'suspended';
export const USER_STATUSES: readonly UserStatus[] = ['active', 'suspended'];

export type IdentityUser = IdentityUserFieldsFragment;
export type UsersFilter = UsersFilterInput;
export type ApiKey = ApiKeyFieldsFragment;
export type CreatedApiKey = CreateApiKeyMutation['createApiKey'];
/** An API key's own limits as `setApiKeyLimits` takes them; null: none. */
export type ApiKeyLimits = Pick<ApiKey, 'requestsPerMinute' | 'tokensPerMinute' | 'monthlyCreditBudget'>;
export type AuditEntry = AuditLogQuery['auditLog']['items'][number];
export type AuditLogFilter = AuditLogFilterInput;
export type VerifiedSession = VerifiedSessionsQuery['verifiedSessions'][number];
export type Team = TeamFieldsFragment;
export type TeamMember = Team['members'][number];

export type ApiKeyScope = 'ai.use' | 'credits.read' | 'media.create' | 'partner.credits';

/** `CreateApiKeyInput` with the scopes this console offers. */
export type CreateApiKeyInput = CreateApiKeyInputType & { readonly scopes: readonly ApiKeyScope[] };

export interface ApiKeyScopeOption {
  readonly scope: ApiKeyScope;
  readonly description: string;
  /** partner.credits: the API refuses it to roles without `partner-keys:grant`. */
  readonly adminOnly: boolean;
}

export const API_KEY_SCOPES: readonly ApiKeyScopeOption[] = [
  { scope: 'ai.use', description: 'Call AI models through the gateway', adminOnly: false },
  { scope: 'credits.read', description: 'Read the credit balance and history', adminOnly: false },
  { scope: 'media.create', description: 'Create image and video jobs', adminOnly: false },
  { scope: 'partner.credits', description: 'Partner API: check and deduct users’ credits', adminOnly: true },
];

/** `TeamMember.role` is a String in the schema; these are its documented values. */
export type TeamRole = 'member' | 'manager';
export const TEAM_ROLES: readonly TeamRole[] = ['member', 'manager'];
export const TEAM_ROLE_LABELS: Readonly<Record<TeamRole, string>> = { member: 'Member', manager: 'Manager' };

/** `AddTeamMemberInput` with a role this console offers. */
export type AddTeamMemberInput = AddTeamMemberInputType & { readonly role: TeamRole };
