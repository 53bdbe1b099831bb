import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { AccountState } from '@sah/infrastructure';
import { LocalTopics } from '../../../platform/events/local-topics';

const CHANNEL = 'billing:balance-changed';
/**
 * How long changes gather before they go out: a user's account can change hundreds of times a second
 * (every AI call holds and captures), and a balance on a screen needs only its latest state.
 */
const BALANCE_CHANGES_WINDOW_MS = 50;

export interface BalanceChange {
  userId: string;
  balanceMillis: string;
  reservedMillis: string;
}

/**
 * Balance changes fanned out to every API instance over Redis pub/sub, then to the GraphQL
 * subscribers of this instance. Best effort by design: the ledger, not this channel, is the record.
 * Changes gather for BALANCE_CHANGES_WINDOW_MS and each account's latest state goes out, all in one
 * Redis write: no request waits for, or pays a system call for, its notification.
 */
@Injectable()
export class BalanceChanges implements OnApplicationShutdown {
  private readonly local = new LocalTopics<BalanceChange>();
  private subscriber?: Redis;
  /** The latest change of each account since the last send, in the order the accounts first changed. */
  private readonly gathered = new Map<string, BalanceChange>();
  private sendTimer?: NodeJS.Timeout;

  constructor(private readonly redis: Redis) {}

  /** Not awaited by callers: a balance change must not wait on (or fail with) the notification. */
  publish(state: AccountState): void {
    this.gathered.set(state.userId, {
      userId: state.userId,
      balanceMillis: state.balance.millis.toString(),
      reservedMillis: state.reserved.millis.toString(),
    });
    this.sendTimer ??= setTimeout(() => void this.send(), BALANCE_CHANGES_WINDOW_MS);
  }

  async changesOf(userId: string): Promise<AsyncIterableIterator<BalanceChange>> {
    await this.ensureSubscribed();
    return this.local.listen(userId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.send();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** One pipeline, one write; commands on one connection keep their order, so a later state arrives later. */
  private async send(): Promise<void> {
    clearTimeout(this.sendTimer);
    this.sendTimer = undefined;
    if (this.gathered.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const change of this.gathered.values()) pipeline.publish(this.channel(), JSON.stringify(change));
    this.gathered.clear();
    await pipeline.exec().catch(() => undefined);
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    // A connection in subscriber mode can do nothing else, hence a duplicate of the shared client.
    this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true, enableAutoPipelining: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const change = JSON.parse(message) as BalanceChange;
      this.local.publish(change.userId, change);
    });
    await this.subscriber.subscribe(this.channel());
  }

  /** Publish does not apply the client's key prefix; the channel carries it explicitly. */
  private channel(): string {
    return `${this.redis.options.keyPrefix ?? ''}${CHANNEL}`;
  }
}
