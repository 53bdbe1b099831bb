import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AcceptVerifiedSession, ApiKeyScope, CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { restData, RestResponse } from '../../../platform/http/rest-response';
import { CheckResult, DeductResult, PartnerCredits } from '../application/partner-credits.service';
import { CreditCheckBody, CreditDeductBody } from './partner-credits.dto';

/**
 * The partner credit API (paths and shapes fixed by the contract). `X-Team-ID`, beside the user, makes
 * the team's wallet pay, the user spending as its member.
 */
@Controller('api/mcp/v1/credits')
@ApiKeyScope('partner.credits')
@AcceptVerifiedSession()
export class PartnerCreditsController {
  constructor(private readonly credits: PartnerCredits) {}

  @Post('check')
  @HttpCode(HttpStatus.OK)
  async check(
    @CurrentPrincipal() principal: Principal,
    @Headers('x-user-id') userId: string | undefined,
    @Headers('x-team-id') teamId: string | undefined,
    @Body() body: CreditCheckBody,
    @Req() req: Request,
  ): Promise<RestResponse<CheckResult>> {
    return restData(req, await this.credits.check(principal, { userIdHeader: userId, teamIdHeader: teamId }, body.cost));
  }

  @Post('deduct')
  @HttpCode(HttpStatus.OK)
  async deduct(
    @CurrentPrincipal() principal: Principal,
    @Headers('x-user-id') userId: string | undefined,
    @Headers('x-team-id') teamId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: CreditDeductBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RestResponse<Omit<DeductResult, 'replayed'>>> {
    const { replayed, ...result } = await this.credits.deduct(principal, { userIdHeader: userId, teamIdHeader: teamId }, body, idempotencyKey);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return restData(req, result);
  }
}
