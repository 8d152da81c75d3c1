/** The largest divisor of `whole` that is at most `n` (at least 1). */
const divisorAtMost = (n: number, whole: number): number => {
  for (let d = Math.max(1, Math.min(n, whole)); d > 1; d--) if (whole % d === 0) return d;
  return 1;
};

/**
 * A cron (six fields, seconds first) that fires about every `seconds`, on round times so that every
 * worker computes the same slots: the interval is taken down to the nearest one that divides the
 * minute, the hour or the day (90 s runs every minute, 45 min every 30 min, 5 h every 4 h); a day or
 * more runs daily at midnight, a week or more weekly on Monday.
 */
export function cronEvery(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`cronEvery: not a positive whole number: ${seconds}`);
  if (seconds < 60) return `*/${divisorAtMost(seconds, 60)} * * * * *`;
  if (seconds < 3600) return `0 */${divisorAtMost(Math.floor(seconds / 60), 60)} * * * *`;
  if (seconds < 86_400) return `0 0 */${divisorAtMost(Math.floor(seconds / 3600), 24)} * * *`;
  return seconds < 7 * 86_400 ? '0 0 0 * * *' : '0 0 0 * * 1';
}
