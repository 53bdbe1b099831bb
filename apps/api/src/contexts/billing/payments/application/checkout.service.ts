import { Injectable } from '@nestjs/common';
import { DomainError, UserRepository } from '@sah/domain';
import { PaymentRepository, StripeGateway, TeamWalletRepository } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { TeamWalletAccess } from '../../team-wallets/team-wallet-access';
import { CreditPackages } from './credit-packages.service';

export interface CheckoutRequest {
  /** A package code (`starter`) or id. */
  package: string;
  successUrl: string;
  cancelUrl: string;
  /** Buy for this team's wallet instead of your own balance (its managers and administrators). */
  teamId?: string | null;
}

export interface CheckoutResult {
  paymentId: string;
  sessionId: string;
  url: string;
}

const MAX_URL_LENGTH = 2048;

/**
 * Opens a Stripe-hosted Checkout Session for a package. The payment is recorded first, so every
 * session Stripe knows of has its payment here (its id travels in the session's metadata). A
 * purchase for a team is the same payment with the team named on it: the webhook credits the
 * team's wallet instead of the buyer.
 */
@Injectable()
export class Checkout {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly packages: CreditPackages,
    private readonly payments: PaymentRepository,
    private readonly users: UserRepository,
    private readonly teamAccess: TeamWalletAccess,
    private readonly teamWallets: TeamWalletRepository,
  ) {}

  async start(principal: Principal, request: CheckoutRequest): Promise<CheckoutResult> {
    this.gateway.assertConfigured();
    const successUrl = redirectUrl(request.successUrl, 'successUrl');
    const cancelUrl = redirectUrl(request.cancelUrl, 'cancelUrl');
    const creditPackage = await this.packages.purchasable(request.package);
    const teamId = request.teamId ? await this.teamToFund(principal, request.teamId) : null;
    const user = await this.users.findById(principal.userId);
    if (!user) throw DomainError.notFound('User', { userId: principal.userId });

    const payment = await this.payments.createPending(principal.userId, creditPackage, teamId);
    try {
      const session = await this.gateway.createCheckoutSession({
        paymentId: payment.id,
        userId: principal.userId,
        teamId,
        email: user.snapshot.email.value,
        packageCode: creditPackage.code,
        productName: `${creditPackage.name}: ${creditPackage.credits.toString()} Smart AI Hub credits`,
        amountCents: creditPackage.priceCents,
        currency: creditPackage.currency,
        successUrl,
        cancelUrl,
      });
      await this.payments.attachSession(payment.id, session.id);
      return { paymentId: payment.id, sessionId: session.id, url: session.url };
    } catch (error) {
      await this.payments.markCheckoutFailed(
        payment.id,
        error instanceof Error ? error.message : 'checkout failed',
      );
      throw error;
    }
  }

  /**
   * Only the team's managers and administrators buy for it; its other members are told it does not
   * exist, as anyone else is, since they could not fund it any other way either. The wallet is opened
   * here if it never was, as a manager's transfer opens it, so the webhook always has one to credit.
   */
  private async teamToFund(principal: Principal, teamId: string): Promise<string> {
    const reach = await this.teamAccess.reach(principal, teamId);
    if (!reach.manages) throw DomainError.notFound('Team', { teamId });
    await this.teamWallets.openWallet(teamId);
    return teamId;
  }
}

/** Where Stripe sends the buyer back: an absolute http(s) URL, passed on as written. */
export function redirectUrl(value: string, field: string): string {
  const text = value.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    text.length > MAX_URL_LENGTH
  ) {
    throw DomainError.badInput(
      `${field} must be an absolute http or https URL of at most ${MAX_URL_LENGTH} characters`,
      { field },
    );
  }
  return text;
}
