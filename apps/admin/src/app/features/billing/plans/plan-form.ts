import type { AbstractControl, ValidationErrors } from '@angular/forms';

import type { CreatePlanInput, Plan, UpdatePlanInput } from '../data-access/plans.types';
import { toAmount } from '../ui/credit-amount';

/** As the API checks a plan's code: a lower-case handle. */
export const PLAN_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;
/** A monthly price in dollars and cents, typed as text so it reaches the API as whole cents. */
const PRICE = /^(\d{1,6})(?:\.(\d{1,2}))?$/;
const WHOLE = /^\d{1,10}$/;
/** The API's bounds (plan-catalogue.service.ts). */
export const MAX_SEATS = 100_000;
export const MAX_REQUESTS_PER_MONTH = 2_000_000_000;

export interface PlanForm {
  readonly code: string;
  readonly name: string;
  readonly price: string;
  readonly monthlyCredits: string;
  readonly requestsPerMonth: string;
  readonly seats: string;
  readonly stripePriceId: string;
}

export function emptyPlanForm(): PlanForm {
  return { code: '', name: '', price: '', monthlyCredits: '', requestsPerMonth: '', seats: '1', stripePriceId: '' };
}

/** A saved plan as the form shows it: cents as "19.00", no cap as empty. */
export function toPlanForm(plan: Plan): PlanForm {
  return {
    code: plan.code,
    name: plan.name,
    price: centsToText(plan.priceCents),
    monthlyCredits: String(plan.monthlyCredits),
    requestsPerMonth: plan.requestsPerMonth === null ? '' : String(plan.requestsPerMonth),
    seats: String(plan.seats),
    stripePriceId: plan.stripePriceId ?? '',
  };
}

export function toCreatePlanInput(form: PlanForm): CreatePlanInput {
  return {
    code: form.code.trim(),
    name: form.name.trim(),
    priceCents: textToCents(form.price),
    monthlyCredits: toAmount(form.monthlyCredits),
    requestsPerMonth: optionalWhole(form.requestsPerMonth),
    seats: Number(form.seats.trim()),
    ...(form.stripePriceId.trim() ? { stripePriceId: form.stripePriceId.trim() } : {}),
  };
}

/**
 * Only what changed is sent: a new price without a new Stripe price makes the API forget the old one
 * (it no longer fits), so an untouched Stripe price must not be sent back with it.
 */
export function toUpdatePlanInput(plan: Plan, form: PlanForm): UpdatePlanInput {
  const next = toCreatePlanInput(form);
  const stripePriceId = form.stripePriceId.trim() || null;
  return {
    id: plan.id,
    ...(next.name !== plan.name ? { name: next.name } : {}),
    ...(next.priceCents !== plan.priceCents ? { priceCents: next.priceCents } : {}),
    ...(next.monthlyCredits !== plan.monthlyCredits ? { monthlyCredits: next.monthlyCredits } : {}),
    ...(next.requestsPerMonth !== plan.requestsPerMonth ? { requestsPerMonth: next.requestsPerMonth } : {}),
    ...(next.seats !== plan.seats ? { seats: next.seats } : {}),
    ...(stripePriceId !== plan.stripePriceId ? { stripePriceId } : {}),
  };
}

export function priceValidator(control: AbstractControl<string>): ValidationErrors | null {
  const text = (control.value ?? '').trim();
  return text === '' || PRICE.test(text) ? null : { price: true };
}

/** A whole number from `min` to `max`; empty is left to `Validators.required` (or means "none"). */
export function wholeNumber(min: number, max: number) {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const text = (control.value ?? '').trim();
    if (text === '') return null;
    const value = Number(text);
    return WHOLE.test(text) && value >= min && value <= max ? null : { wholeNumber: true };
  };
}

/** "19.5" → 1950, by the digits rather than through float arithmetic. */
export function textToCents(text: string): number {
  const [, whole = '0', fraction = ''] = PRICE.exec(text.trim()) ?? [];
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function centsToText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function optionalWhole(text: string): number | null {
  return text.trim() === '' ? null : Number(text.trim());
}
