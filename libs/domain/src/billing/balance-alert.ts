/** Where a balance stands against the low-balance threshold; alerts fire on entering a lower level. */
export type AlertLevel = 'ok' | 'low' | 'depleted';

export function alertLevel(availableMillis: bigint, thresholdMillis: bigint): AlertLevel {
  if (availableMillis <= 0n) return 'depleted';
  return availableMillis < thresholdMillis ? 'low' : 'ok';
}

const RANK: Record<AlertLevel, number> = { ok: 0, low: 1, depleted: 2 };

/**
 * The events a move from `before` to `after` raises: one per level newly entered going down, none
 * going up (recovering re-arms the alert for the next crossing).
 */
export function alertsForMove(before: AlertLevel, after: AlertLevel): Array<'credit.low' | 'credit.depleted'> {
  if (RANK[after] <= RANK[before]) return [];
  const events: Array<'credit.low' | 'credit.depleted'> = [];
  if (RANK[before] < RANK.low) events.push('credit.low');
  if (after === 'depleted') events.push('credit.depleted');
  return events;
}
