/** Rounds to `digits` decimals (default 3), for scores people and models read. */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
