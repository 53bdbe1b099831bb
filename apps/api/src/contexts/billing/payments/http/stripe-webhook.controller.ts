import { Controller, Headers, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { StripeGateway } from '@sah/infrastructure';
import type { Request } from 'express';
import { Public, SkipRateLimit } from '../../../../platform/auth/auth.decorators';
import { StripeWebhookEvents } from '../application/stripe-webhook-events.service';

/**
 * Stripe's event deliveries. Authenticated by the signature over the raw body, not by a bearer.
 * Not rate-limited per IP: Stripe delivers every user's events from a few addresses, a refused
 * delivery only delays credits, and a forged one is rejected by an HMAC before any database work.
 */
@Controller('api/v1/payments/stripe')
export class StripeWebhookController {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly events: StripeWebhookEvents,
  ) {}

  @Public()
  @SkipRateLimit()
  @Post('webhook')
  @HttpCode(HttpStatus.OK)
  async receive(
    @Req() req: Request,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true }> {
    await this.events.handle(this.gateway.verifyEvent(req.rawBody, signature));
    return { received: true };
  }
}
