const COUNT = new Intl.NumberFormat("en-US");

/** Formats a whole count with thousands separators, such as `38,848`. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** Formats a score or weight with 4 significant digits, such as `0.4123`. */
export function formatScore(value: number): string {
  return String(Number(value.toPrecision(4)));
}
