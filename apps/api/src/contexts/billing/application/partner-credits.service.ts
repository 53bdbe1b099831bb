import { Injectable } from '@nestjs/common';
import { Credits, DomainError, insufficientCredits } from '@sah/domain';
import { IdempotencyKey, TeamWalletRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { TeamsService } from '../../identity/teams/teams.service';
import { LedgerService, requestHash } from './ledger.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const MAX_METADATA_BYTES = 4096;

export interface CheckResult {
  sufficient: boolean;
  balance: number;
}

export interface DeductResult {
  status: 'ok';
  new_balance: number;
  transaction_id: string;
  replayed: boolean;
}

/** Who pays: the user named, and with `X-Team-ID` the wallet of a team of theirs, in their name. */
export interface PartnerPayer {
  userIdHeader: string | undefined;
  teamIdHeader: string | undefined;
}

/**
 * Check and deduct for partners: a partner's server with a `partner.credits` API key names the user
 * in `X-User-ID`; a tool holding the user's VERIFIED code acts for that user only. With `X-Team-ID`
 * the credits are a team's wallet, spent by that user as a member (within the member's and the team's
 * limits, as the member's AI calls are).
 */
@Injectable()
export class PartnerCredits {
  constructor(
    private readonly ledger: LedgerService,
    private readonly teams: TeamsService,
    private readonly teamWallets: TeamWalletRepository,
    private readonly config: AppConfig,
  ) {}

  async check(principal: Principal, payer: PartnerPayer, cost: number): Promise<CheckResult> {
    const userId = this.targetUser(principal, payer.userIdHeader);
    const amount = this.parseCost(cost);
    const teamId = await this.memberTeam(userId, payer.teamIdHeader);
    const account = teamId ? await this.teamWallets.wallet(teamId) : await this.ledger.balance(userId);
    const available = account ? account.balance.minus(account.reserved) : Credits.ZERO;
    if (amount.isGreaterThan(available)) throw insufficientCredits(available, amount);
    return { sufficient: true, balance: available.toNumber() };
  }

  async deduct(
    principal: Principal,
    payer: PartnerPayer,
    body: { service: string; cost: number; metadata?: Record<string, unknown> },
    idempotencyKey: string | undefined,
  ): Promise<DeductResult> {
    const userId = this.targetUser(principal, payer.userIdHeader);
    const amount = this.parseCost(body.cost);
    const metadata = body.metadata ?? {};
    if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
      throw DomainError.badInput(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`, { field: 'metadata' });
    }
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw DomainError.badInput('Idempotency-Key must be 1-255 visible ASCII characters', { field: 'Idempotency-Key' });
    }
    const teamId = await this.memberTeam(userId, payer.teamIdHeader);
    const idempotency = idempotencyKey
      ? {
          scope: `partner:${callerOf(principal)}`,
          key: idempotencyKey,
          requestHash: requestHash({ userId, ...(teamId ? { teamId } : {}), service: body.service, cost: amount.millis.toString(), metadata }),
        }
      : undefined;
    const recorded = { ...metadata, service: body.service, caller: callerOf(principal) };
    if (teamId) return this.deductFromTeam({ userId, teamId, amount, service: body.service, metadata: recorded, idempotency });
    const { transaction, replayed } = await this.ledger.debit({ userId, type: 'debit', amount, reason: body.service, metadata: recorded, idempotency });
    return { status: 'ok', new_balance: transaction.balanceAfter.toNumber(), transaction_id: transaction.id, replayed };
  }

  /**
   * A member's spend from the team's wallet: a hold (which checks the wallet and every team limit under
   * the wallet's lock) captured whole at once. Both steps are idempotent under the same key, so a retry
   * after a crash between them completes the deduct instead of taking it twice.
   */
  private async deductFromTeam(input: {
    userId: string;
    teamId: string;
    amount: Credits;
    service: string;
    metadata: Record<string, unknown>;
    idempotency: IdempotencyKey | undefined;
  }): Promise<DeductResult> {
    const { hold, replayed } = await this.ledger.hold({
      userId: input.userId,
      teamId: input.teamId,
      amount: input.amount,
      description: input.service,
      metadata: input.metadata,
      idempotency: input.idempotency,
    });
    const captured = await this.ledger.capture(hold.id, input.amount, { reason: input.service, metadata: input.metadata });
    if (!captured.hold.captureTransactionId) throw new Error(`team hold ${hold.id} was captured without a transaction`);
    return {
      status: 'ok',
      new_balance: captured.account.balance.toNumber(),
      transaction_id: captured.hold.captureTransactionId,
      // An earlier request with this key took the hold: this one answers for it.
      replayed,
    };
  }

  /** The team named in X-Team-ID, which the user must belong to; anything else is not found. */
  private async memberTeam(userId: string, teamIdHeader: string | undefined): Promise<string | null> {
    if (teamIdHeader === undefined) return null;
    const notFound = DomainError.notFound('Team', { teamId: teamIdHeader });
    if (!isUUID(teamIdHeader)) throw notFound;
    const members = await this.teams.members(teamIdHeader);
    if (!members.some((member) => member.userId === userId)) throw notFound;
    return teamIdHeader;
  }

  private targetUser(principal: Principal, userIdHeader: string | undefined): string {
    if (principal.via === 'verified_session') {
      if (userIdHeader !== undefined && userIdHeader !== principal.userId) {
        throw new DomainError('FORBIDDEN', 'A session code acts for its own user only: X-User-ID names someone else');
      }
      return principal.userId;
    }
    if (principal.via !== 'api_key') {
      throw new DomainError('FORBIDDEN', 'Call this API with a partner API key (scope partner.credits) or a VERIFIED session code');
    }
    if (!userIdHeader) throw DomainError.badInput('X-User-ID header is required with an API key', { field: 'X-User-ID' });
    if (!isUUID(userIdHeader)) throw DomainError.notFound('User', { userId: userIdHeader });
    return userIdHeader;
  }

  private parseCost(cost: number): Credits {
    const amount = Credits.parsePositive(cost, 'cost');
    const max = this.config.billing.partnerMaxCost;
    if (amount.isGreaterThan(max)) {
      throw DomainError.badInput(`cost must not exceed ${max.toString()} credits`, { field: 'cost', max: max.toNumber() });
    }
    return amount;
  }
}

/** Idempotency keys and metadata name the calling key, or the session's user. */
function callerOf(principal: Principal): string {
  return principal.via === 'api_key' ? `key:${principal.apiKeyId}` : `session:${principal.userId}`;
}
