/** Settings of exponential backoff with jitter, in milliseconds. */
export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** Share of the delay, from 0 to 1, that jitter may remove. */
  readonly jitter: number;
}

/**
 * Computes the delay before retry number `attempt` (1 for the first
 * retry). The nominal delay is `initialDelayMs * multiplier ** (attempt -
 * 1)`, capped at `maxDelayMs`. Jitter then removes a random share of up to
 * `jitter` from it, so the result lies in `[nominal * (1 - jitter),
 * nominal]`. With `jitter: 1` this is "full jitter" (uniform from 0 to the
 * nominal delay). `random` returns a number in [0, 1), as `Math.random`
 * does; values outside that range are clamped.
 */
export function computeRetryDelay(
  attempt: number,
  settings: BackoffSettings,
  random: () => number,
): number {
  const growth = settings.multiplier ** Math.max(0, attempt - 1);
  const nominal = Math.min(
    settings.maxDelayMs,
    settings.initialDelayMs * growth,
  );
  const draw = random();
  const share = draw >= 0 && draw <= 1 ? draw : 0;
  return nominal * (1 - settings.jitter * share);
}
