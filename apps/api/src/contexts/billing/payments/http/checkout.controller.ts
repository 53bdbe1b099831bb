import { Body, Controller, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentPrincipal } from '../../../../platform/auth/auth.decorators';
import type { Principal } from '../../../../platform/auth/principal';
import { restData, RestResponse } from '../../../../platform/http/rest-response';
import { Checkout, CheckoutResult } from '../application/checkout.service';
import { CheckoutBody } from './checkout.dto';

/** Buying credits over REST, for clients without GraphQL (same use case as `createCheckoutSession`). */
@Controller('api/v1/payments')
export class CheckoutController {
  constructor(private readonly checkout: Checkout) {}

  /** 201 Created: a new Checkout Session (and its pending payment). */
  @Post('checkout')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CheckoutBody,
    @Req() req: Request,
  ): Promise<RestResponse<CheckoutResult>> {
    return restData(req, await this.checkout.start(principal, body));
  }
}
