import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import type { AiProvider, CircuitState, RoutingPolicy } from '../data-access/ai.types';

export const PROVIDER_LABELS: Readonly<Record<AiProvider, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
};

/** A provider's display name; one the console does not know yet is shown as the API names it. */
export function providerLabel(provider: string): string {
  return (PROVIDER_LABELS as Readonly<Record<string, string>>)[provider] ?? provider;
}

export const CIRCUIT_LABELS: Readonly<Record<CircuitState, string>> = {
  closed: 'Circuit closed',
  open: 'Circuit open',
  half_open: 'Circuit half-open',
};

/** Closed is the working state, open an error, half-open (a trial call) worth a look. */
export const CIRCUIT_TONES: Readonly<Record<CircuitState, StatusTone>> = {
  closed: 'good',
  open: 'bad',
  half_open: 'notice',
};

/** What each circuit state means for callers, for the tooltip beside it. */
export const CIRCUIT_HINTS: Readonly<Record<CircuitState, string>> = {
  closed: 'Calls go through normally.',
  open: 'Too many failures in a row: calls are refused (or sent to fallback models) until it cools down.',
  half_open: 'Cooling down is over: the next call is a trial that closes or reopens the circuit.',
};

export function circuitHint(state: string): string {
  return (CIRCUIT_HINTS as Readonly<Record<string, string>>)[state] ?? '';
}

/** What each routing policy does, as the models page offers it. */
export const ROUTING_LABELS: Readonly<Record<RoutingPolicy, string>> = {
  priority: 'By priority',
  cost: 'Cheapest first',
  latency: 'Fastest first',
};
