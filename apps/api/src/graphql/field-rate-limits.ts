/** How one GraphQL field is rate limited, beyond the caller's per-minute limit of every operation. */
export interface FieldRateLimit {
  /** Also counted against the stricter per-IP limit of sign-in style calls (guessing attacks go after these). */
  readonly authPerIp: boolean;
  /** The most executions of the field one operation may ask for (aliases, fragments); more refuses the whole operation. */
  readonly perOperation: number;
}

/**
 * The one list of GraphQL fields whose every execution counts against the caller's rate limit (and
 * the per-IP sign-in limit where `authPerIp`), keyed `<root type>.<field>`. Any other operation
 * counts once, however many fields it has. The guard (identity/auth/rate-limit.guard.ts) counts,
 * and the operation rules refuse operations over `perOperation` before anything runs, on every
 * transport. Expensive calls (bcrypt, mail, provider calls) are limited to one per operation.
 * Start-up checks every key against the schema (field-rate-limits.check.ts).
 */
export const FIELD_RATE_LIMITS: Readonly<Record<string, FieldRateLimit>> = {
  'Mutation.register': { authPerIp: true, perOperation: 1 },
  'Mutation.verifyEmail': { authPerIp: true, perOperation: 1 },
  'Mutation.resendVerification': { authPerIp: true, perOperation: 1 },
  'Mutation.login': { authPerIp: true, perOperation: 1 },
  'Mutation.exchangeSignInCode': { authPerIp: true, perOperation: 1 },
  'Mutation.requestPasswordReset': { authPerIp: true, perOperation: 1 },
  'Mutation.resetPassword': { authPerIp: true, perOperation: 1 },
  'Mutation.changePassword': { authPerIp: true, perOperation: 1 },
  'Mutation.completeTwoFactorSignIn': { authPerIp: true, perOperation: 1 },
  'Mutation.enrolTwoFactor': { authPerIp: true, perOperation: 1 },
  'Mutation.confirmTwoFactor': { authPerIp: true, perOperation: 1 },
  'Mutation.disableTwoFactor': { authPerIp: true, perOperation: 1 },
  // Sessions: one list or revocation per operation, so aliases cannot sweep ids.
  'Query.signInSessions': { authPerIp: false, perOperation: 1 },
  'Mutation.revokeSignInSession': { authPerIp: false, perOperation: 1 },
  'Mutation.revokeOtherSignInSessions': { authPerIp: false, perOperation: 1 },
  'Mutation.redeemPromoCode': { authPerIp: false, perOperation: 1 },
  // Each change is a Stripe call (a read and an update).
  'Mutation.changePlan': { authPerIp: false, perOperation: 1 },
  // Each invitation mails any address; each acceptance tries a token.
  'Mutation.inviteTeamMember': { authPerIp: false, perOperation: 1 },
  'Mutation.acceptTeamInvitation': { authPerIp: true, perOperation: 1 },
  'Mutation.chatCompletion': { authPerIp: false, perOperation: 1 },
  'Mutation.createImageJob': { authPerIp: false, perOperation: 1 },
  'Mutation.createVideoJob': { authPerIp: false, perOperation: 1 },
  'Subscription.chatCompletionStream': { authPerIp: false, perOperation: 1 },
};

export function fieldRateLimit(rootType: string, field: string): FieldRateLimit | undefined {
  return Object.prototype.hasOwnProperty.call(FIELD_RATE_LIMITS, `${rootType}.${field}`) ? FIELD_RATE_LIMITS[`${rootType}.${field}`] : undefined;
}
