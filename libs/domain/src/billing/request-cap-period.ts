/** A span of time a plan's request cap counts over, start included, end excluded. */
export interface RequestCapPeriod {
  start: Date;
  end: Date;
}

/**
 * The period a plan's monthly request cap counts over at `now`: the subscription's paid period while
 * it covers `now` (caps renew with the invoice, as the allowance does), otherwise the calendar month
 * in UTC — the Free plan's, and a subscription's whose renewal Stripe has not reported yet.
 */
export function requestCapPeriod(paid: { start: Date | null; end: Date | null } | null, now: Date): RequestCapPeriod {
  if (paid?.start && paid.end && paid.start <= now && now < paid.end) return { start: paid.start, end: paid.end };
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}
