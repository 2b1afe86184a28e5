import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import { formatUtcDay } from "./days.js";
import type { UsageCounts, UsageIncrement } from "./types.js";

/**
 * Maximum value of a stored usage counter: `Number.MAX_SAFE_INTEGER`
 * (2^53 - 1), the largest integer that a JavaScript number holds exactly.
 * It is also below the maximum of a 64-bit SQLite INTEGER and of a
 * PostgreSQL `bigint`, so a counter never changes type or fails there.
 */
export const MAX_USAGE_COUNTER = Number.MAX_SAFE_INTEGER;

/** Names of the counters of a usage row. */
export const USAGE_COUNTERS = [
  "requests",
  "inputTokens",
  "outputTokens",
  "errors",
] as const satisfies readonly (keyof UsageCounts)[];

/**
 * Tells whether adding `amounts` to `current` would push a counter past
 * {@link MAX_USAGE_COUNTER}. Both must hold safe integers, so the sum is
 * at most 2^54 and the comparison stays exact.
 */
export function passesMaxCounter(
  current: UsageCounts,
  amounts: UsageCounts,
): boolean {
  return USAGE_COUNTERS.some(
    (counter) => current[counter] + amounts[counter] > MAX_USAGE_COUNTER,
  );
}

/**
 * Creates the INVALID_INPUT error of an increment that would push a
 * counter past {@link MAX_USAGE_COUNTER}.
 */
export function counterOverflow(amounts: UsageIncrement): SecurityError {
  return new SecurityError(
    SecurityErrorCode.INVALID_INPUT,
    `The usage of key ${describeValue(amounts.keyId)} of tenant ` +
      `${describeValue(amounts.tenant)} on ${formatUtcDay(amounts.dayStart)} ` +
      `was not recorded, because it would push a counter past ` +
      `${MAX_USAGE_COUNTER} (Number.MAX_SAFE_INTEGER). Check the token ` +
      "counts of the request.",
  );
}
