/**
 * Days until a balance runs out at the average daily spend of the window (default 30 days).
 * `null` when nothing was spent: no basis for a forecast.
 */
export function daysUntilEmpty(availableMillis: bigint, spentInWindowMillis: bigint, windowDays = 30): number | null {
  if (spentInWindowMillis <= 0n) return null;
  if (availableMillis <= 0n) return 0;
  // Tenths of a day, in integers: available * window / spent.
  const tenths = (availableMillis * BigInt(windowDays) * 10n) / spentInWindowMillis;
  return Number(tenths) / 10;
}
