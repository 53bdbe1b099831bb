import { Injectable } from '@nestjs/common';
import { DomainError, promoCodeTerms } from '@sah/domain';
import { PromoCodeFilter, PromoCodePage, PromoCodeRecord, PromoCodeRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../../platform/auth/principal';
import { AuditLog } from '../../../identity/application/audit-log.service';

export interface CreatePromoCodeRequest {
  code: string;
  credits: number;
  maxUses?: number | null;
  expiresAt?: Date | null;
  creditsValidDays?: number | null;
}

/** Promo codes as admins see them: created and deactivated on the record (audit log), listed with usage. */
@Injectable()
export class PromoCodeAdmin {
  constructor(
    private readonly codes: PromoCodeRepository,
    private readonly audit: AuditLog,
  ) {}

  list(filter: PromoCodeFilter, page: { offset: number; limit: number }): Promise<PromoCodePage> {
    return this.codes.list(filter, page);
  }

  async create(principal: Principal, request: CreatePromoCodeRequest): Promise<PromoCodeRecord> {
    const code = await this.codes.create(promoCodeTerms(request, new Date()), principal.userId);
    await this.audit.record(principal.userId, 'promo_code.created', {
      targetType: 'promo_code',
      targetId: code.id,
      details: {
        code: code.code,
        credits: code.credits.toNumber(),
        maxUses: code.maxUses,
        expiresAt: code.expiresAt?.toISOString() ?? null,
        creditsValidDays: code.creditsValidDays,
      },
    });
    return code;
  }

  /** Deactivating twice is harmless and recorded once. */
  async deactivate(principal: Principal, id: string): Promise<PromoCodeRecord> {
    // A malformed id cannot name a code: same answer as an unknown one.
    if (!isUUID(id)) throw DomainError.notFound('Promo code', { id });
    const { code, changed } = await this.codes.deactivate(id);
    if (changed) {
      await this.audit.record(principal.userId, 'promo_code.deactivated', {
        targetType: 'promo_code',
        targetId: code.id,
        details: { code: code.code, uses: code.uses },
      });
    }
    return code;
  }
}
