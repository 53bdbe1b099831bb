import { PersonalDataKeyring, UserPersonalDataCodec } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';

/** Seals with ENCRYPTION_KEY; opens with it or any of ENCRYPTION_KEYS_PREVIOUS (rows keys:rotate has not reached). */
export function personalDataKeyring(config: AppConfig): PersonalDataKeyring {
  return new PersonalDataKeyring(config.encryptionKey, config.previousEncryptionKeys);
}

export function personalDataCodec(config: AppConfig): UserPersonalDataCodec {
  return new UserPersonalDataCodec(personalDataKeyring(config));
}
