import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';

/**
 * The settlements (capture and usage record) of calls whose answer has already gone out: the client
 * does not wait for their two database round trips. Each is kept by the wallet that pays (a user's
 * account or a team's), so that a later call refused for credits or limits can first wait for the
 * earlier calls' holds to be given back, and shutdown waits for all of them. A process that dies in
 * between leaves the hold active; its expiry releases it and logs it (see LedgerHousekeeping).
 */
@Injectable()
export class SettlementsAfterReply implements BeforeApplicationShutdown {
  private readonly pending = new Map<string, Set<Promise<void>>>();

  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  /**
   * Runs `settle` once the answer has been written: after this turn of the event loop, whose promise
   * continuations write the reply. A failure is logged with `context`; it cannot reach the client.
   */
  run(wallet: string, context: Record<string, unknown>, settle: () => Promise<unknown>): void {
    const ofWallet = this.pending.get(wallet) ?? new Set<Promise<void>>();
    this.pending.set(wallet, ofWallet);
    const settled: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(settle)
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, ...context }, 'settling an AI call after its answer failed'),
      )
      .finally(() => {
        ofWallet.delete(settled);
        if (ofWallet.size === 0 && this.pending.get(wallet) === ofWallet) this.pending.delete(wallet);
      });
    ofWallet.add(settled);
  }

  /**
   * Waits for the wallet's settlements in flight now (not for those that start meanwhile, which a busy
   * wallet always has); whether there were any.
   */
  async drain(wallet: string): Promise<boolean> {
    const ofWallet = this.pending.get(wallet);
    if (!ofWallet) return false;
    await Promise.all([...ofWallet]);
    return true;
  }

  /** Waits until no settlement is in flight (tests read the ledger after it; shutdown waits for it). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()].flatMap((ofWallet) => [...ofWallet]));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.idle();
  }
}
