import type { StripeReferences } from '@sah/infrastructure';
import type Stripe from 'stripe';

/** An expandable Stripe field is an id or the object itself. */
export function idOf(field: string | { id: string } | null | undefined): string | null {
  return typeof field === 'string' ? field : (field?.id ?? null);
}

export function referencesOf(session: Stripe.Checkout.Session): StripeReferences {
  return { sessionId: session.id, paymentIntent: idOf(session.payment_intent) };
}
