import { TwoFactor } from '../two-factor';

/** Port: users' second factors and their recovery codes (stored as hashes only). */
export abstract class TwoFactorRepository {
  abstract find(userId: string): Promise<TwoFactor | null>;
  /** Inserts or replaces a pending enrolment; an enabled factor is never overwritten this way. */
  abstract savePending(factor: TwoFactor): Promise<void>;
  /**
   * Stores an accepted code's time step (and enables a pending factor), only if no code of that step
   * or a later one was accepted meanwhile: false means a concurrent request used the code first.
   */
  abstract recordAccepted(factor: TwoFactor, previousStep: number | null): Promise<boolean>;
  /** Replaces the user's recovery codes with these hashes. */
  abstract replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void>;
  /** Spends one unused recovery code; false when it is unknown or already used. */
  abstract useRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  abstract unusedRecoveryCodes(userId: string): Promise<number>;
  /** Removes the factor and its recovery codes; false when there was none. */
  abstract remove(userId: string): Promise<boolean>;
}
