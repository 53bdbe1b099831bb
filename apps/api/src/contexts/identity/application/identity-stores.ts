import { AttemptCounter, ExpiringSecretStore } from '@sah/infrastructure';

export const FIFTEEN_MINUTES_MS = 15 * 60_000;

/** The Redis-backed counters and secret stores of the identity context, one instance each. */
export class IdentityStores {
  constructor(
    readonly verificationCodes: ExpiringSecretStore,
    readonly verificationAttempts: AttemptCounter,
    readonly loginFailuresByAccount: AttemptCounter,
    readonly loginFailuresByIp: AttemptCounter,
    readonly passwordResets: ExpiringSecretStore,
    readonly cooldowns: ExpiringSecretStore,
  ) {}
}
