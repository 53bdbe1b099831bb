import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { AccountState } from '@sah/infrastructure';
import { LocalTopics } from '../../../platform/events/local-topics';

const CHANNEL = 'billing:balance-changed';

export interface BalanceChange {
  userId: string;
  balanceMillis: string;
  reservedMillis: string;
}

/**
 * Balance changes fanned out to every API instance over Redis pub/sub, then to the GraphQL
 * subscribers of this instance. Best effort by design: the ledger, not this channel, is the record.
 */
@Injectable()
export class BalanceChanges implements OnApplicationShutdown {
  private readonly local = new LocalTopics<BalanceChange>();
  private subscriber?: Redis;

  constructor(private readonly redis: Redis) {}

  /** Not awaited by callers: a balance change must not wait on (or fail with) the notification. */
  publish(state: AccountState): void {
    const change: BalanceChange = {
      userId: state.userId,
      balanceMillis: state.balance.millis.toString(),
      reservedMillis: state.reserved.millis.toString(),
    };
    // Commands on one connection keep their order, so subscribers see changes in the order made.
    void this.redis.publish(this.channel(), JSON.stringify(change)).catch(() => undefined);
  }

  async changesOf(userId: string): Promise<AsyncIterableIterator<BalanceChange>> {
    await this.ensureSubscribed();
    return this.local.listen(userId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    // A connection in subscriber mode can do nothing else, hence a duplicate of the shared client.
    this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true });
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
