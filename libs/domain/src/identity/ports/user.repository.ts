import { IdentityEvent } from '../identity.events';
import { User } from '../user';

/** Port: where users live. Saving also records the user's pending events (transactional outbox). */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByEmail(normalizedEmail: string): Promise<User | null>;
  abstract findByGoogleId(googleId: string): Promise<User | null>;
  /** Inserts or updates; throws CONFLICT when the e-mail belongs to another account. */
  abstract save(user: User, events: IdentityEvent[]): Promise<void>;
  /** Records events that change no user row (a code or reset link asked for). */
  abstract recordEvents(events: IdentityEvent[]): Promise<void>;
}
