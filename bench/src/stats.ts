/**
 * Returns the index of the median of `values`: the middle one of an odd
 * count, the lower middle one of an even count, so it is always a value
 * that was measured. Returns -1 for an empty list.
 */
export function medianIndex(values: readonly number[]): number {
  if (values.length === 0) {
    return -1;
  }
  const order = values
    .map((value, index) => ({ value, index }))
    .sort((left, right) => left.value - right.value);
  return order[Math.floor((order.length - 1) / 2)]?.index ?? -1;
}

/** Returns the median of `values` as {@link medianIndex} picks it; NaN when empty. */
export function median(values: readonly number[]): number {
  return values[medianIndex(values)] ?? Number.NaN;
}
