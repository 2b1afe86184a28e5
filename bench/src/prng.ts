/**
 * Creates the mulberry32 generator: 32-bit state, uniform numbers in
 * [0, 1). The same seed gives the same sequence on every platform.
 */
export function createMulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns `0 … length-1` in a Fisher–Yates order drawn from `random`. */
export function shuffledIndices(
  length: number,
  random: () => number,
): number[] {
  const order = Array.from({ length }, (_, index) => index);
  for (let index = length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const swap = order[index] as number;
    order[index] = order[other] as number;
    order[other] = swap;
  }
  return order;
}
