/**
 * Splits an integer amount over weights in proportion, in integer minor units that add up to the
 * amount exactly (largest remainder; ties go to the earlier weight; exact in bigint). A payment of an
 * order is shared out over its lines by their totals, so that per-product and per-category revenue
 * add up to the shop's. All weights zero (an order of free lines): equal shares.
 */
export function splitByWeights(amount: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sign = amount < 0 ? -1 : 1;
  const total = BigInt(Math.abs(amount));
  const w = weights.every((x) => x <= 0) ? weights.map(() => 1n) : weights.map((x) => BigInt(Math.max(0, x)));
  const sum = w.reduce((a, b) => a + b, 0n);
  const shares = w.map((x) => (total * x) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  const order = w
    .map((x, i) => ({ i, rest: (total * x) % sum }))
    .sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i));
  for (let k = 0; left > 0n; k++, left--) shares[order[k].i]++;
  return shares.map((s) => (s === 0n ? 0 : sign * Number(s)));
}
