import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppConfig } from '../../../config/app-config';

@Injectable()
export class PasswordHasher {
  /** Compared against when the account does not exist, so both paths cost one bcrypt. */
  private readonly decoy: string;

  constructor(private readonly config: AppConfig) {
    this.decoy = bcrypt.hashSync('decoy-password-for-timing', config.identity.bcryptCost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.identity.bcryptCost);
  }

  verify(password: string, hash: string | null): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.decoy).then((ok) => ok && hash !== null);
  }
}
