import { PersonalDataKeyring } from '../../crypto/personal-data-keyring';

/** The columns of identity_user that hold personal data, as stored. */
export interface SealedUserColumns {
  emailSealed: Buffer;
  emailLookup: Buffer;
  nameSealed: Buffer;
  personalDataKeyId: string;
}

export interface UserPersonalData {
  /** As typed (for display and mail). */
  email: string;
  name: string;
}

/**
 * A user's e-mail address and name sealed for identity_user (AES-256-GCM, bound to the row's id) and
 * the keyed hash of the normalised address that lookups and the unique index use.
 */
export class UserPersonalDataCodec {
  constructor(private readonly keyring: PersonalDataKeyring) {}

  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  seal(userId: string, data: UserPersonalData): SealedUserColumns {
    return {
      emailSealed: this.keyring.seal(data.email, `identity_user.email:${userId}`),
      emailLookup: this.keyring.lookupHash(normalizeEmail(data.email)),
      nameSealed: this.keyring.seal(data.name, `identity_user.name:${userId}`),
      personalDataKeyId: this.keyring.currentKeyId,
    };
  }

  open(userId: string, columns: Omit<SealedUserColumns, 'emailLookup'>): UserPersonalData {
    return {
      email: this.keyring.open(columns.emailSealed, columns.personalDataKeyId, `identity_user.email:${userId}`),
      name: this.keyring.open(columns.nameSealed, columns.personalDataKeyId, `identity_user.name:${userId}`),
    };
  }

  /**
   * How Redis names an address (sign-in lock-outs, mail cool-downs): its keyed hash under the current
   * key, as email_lookup holds it, so Redis never holds the address. A new key starts these short
   * windows afresh.
   */
  redisKey(email: string): string {
    return this.keyring.lookupHash(normalizeEmail(email)).toString('base64url');
  }

  /** What email_lookup holds for this address under each key in the keyring. */
  lookups(email: string): Buffer[] {
    return this.keyring.lookupHashes(normalizeEmail(email));
  }
}

/** As EmailAddress normalises (trimmed, lower case): the hash must match the domain's uniqueness. */
const normalizeEmail = (email: string): string => email.trim().toLowerCase();
