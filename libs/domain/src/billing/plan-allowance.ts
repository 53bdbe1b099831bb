import { Credits } from '../shared/credits';

/** One invoice line billing a plan's price, in Stripe's figures. */
export interface BilledPlanLine {
  /** What the line charges, in minor units: negative for unused time credited back. */
  amountCents: number;
  /** The price's unit amount as Stripe writes it (a decimal string in minor units); null when unknown. */
  unitAmountDecimal: string | null;
  quantity: number | null;
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;
const SCALE_DIGITS = 12;

/**
 * The credits a paid invoice line earns: the plan's monthly allowance in proportion to what the line
 * charged of a full month (`amount / (unit amount × quantity)`), as Stripe computed it, never more
 * than the allowance. A full renewal earns the whole allowance; an upgrade's proration line earns
 * the share of the month Stripe billed; a line crediting unused time earns nothing (the credits
 * already granted expire with their period). Exact integer arithmetic, rounded down to the milli-credit.
 */
export function allowanceForLine(monthly: Credits, line: BilledPlanLine): Credits {
  if (line.amountCents <= 0 || monthly.millis <= 0n) return Credits.ZERO;
  const quantity = BigInt(Math.max(line.quantity ?? 1, 1));
  const match = line.unitAmountDecimal === null ? null : DECIMAL.exec(line.unitAmountDecimal.trim());
  if (!match) return monthly;
  const unitScaled = BigInt(match[1]!) * 10n ** BigInt(SCALE_DIGITS) + BigInt((match[2] ?? '').padEnd(SCALE_DIGITS, '0'));
  if (unitScaled === 0n) return monthly;
  const earned = (monthly.millis * BigInt(line.amountCents) * 10n ** BigInt(SCALE_DIGITS)) / (unitScaled * quantity);
  return Credits.fromMillis(earned < monthly.millis ? earned : monthly.millis);
}
