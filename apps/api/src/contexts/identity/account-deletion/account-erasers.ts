import { Injectable } from '@nestjs/common';

/** Erases one context's data of a user whose account is being deleted. Must be safe to run again. */
export type AccountEraser = (userId: string) => Promise<void>;

/**
 * Who forgets what about a deleted account. Identity owns the deletion, not the data: each context
 * registers the erasure of its own tables and files at start (as it registers its retention purges
 * and export sections), so nobody touches another context's tables. Identity's own rows go last.
 */
@Injectable()
export class AccountErasers {
  private readonly byName = new Map<string, AccountEraser>();

  register(name: string, erase: AccountEraser): void {
    if (this.byName.has(name)) throw new Error(`account eraser "${name}" is registered twice`);
    this.byName.set(name, erase);
  }

  async eraseAll(userId: string): Promise<void> {
    for (const erase of this.byName.values()) await erase(userId);
  }
}
