import type { IBreaker } from "cockatiel";
import { CircuitState, ConsecutiveBreaker } from "cockatiel";

/** Checked settings of the sampling breaker. */
export interface SamplingSettings {
  readonly failureRatio: number;
  readonly windowMs: number;
  readonly minThroughput: number;
}

/**
 * A breaker that opens when any of its parts would open. Every part records
 * every success and failure, so each keeps its own count current.
 */
class AnyOfBreaker implements IBreaker {
  readonly #parts: readonly IBreaker[];

  constructor(parts: readonly IBreaker[]) {
    this.#parts = parts;
  }

  get state(): unknown {
    return this.#parts.map((part) => part.state);
  }

  set state(value: unknown) {
    if (Array.isArray(value)) {
      this.#parts.forEach((part, index) => {
        part.state = value[index];
      });
    }
  }

  success(state: CircuitState): void {
    for (const part of this.#parts) {
      part.success(state);
    }
  }

  failure(state: CircuitState): boolean {
    let open = false;
    for (const part of this.#parts) {
      if (part.failure(state)) {
        open = true;
      }
    }
    return open;
  }
}

interface Slice {
  index: number;
  successes: number;
  failures: number;
}

/** Number of slices the sampling window is divided into. */
const SLICES = 10;

/**
 * Breaker that opens when failures exceed `failureRatio` of the calls in
 * a sliding window holding at least `minThroughput` calls. The window is
 * kept as 10 slices of `windowMs / 10`, so a call leaves it between 0.9
 * and 1 window after it was recorded. A successful probe clears the
 * window. cockatiel 3.2.1 has its own SamplingBreaker, but it expires one
 * slice per recorded call rather than by time, so failures from before an
 * idle period could still open the breaker.
 */
class SlidingWindowBreaker implements IBreaker {
  readonly #settings: SamplingSettings;
  readonly #sliceMs: number;
  #slices: Slice[];

  constructor(settings: SamplingSettings) {
    this.#settings = settings;
    this.#sliceMs = settings.windowMs / SLICES;
    this.#slices = SlidingWindowBreaker.#emptySlices();
  }

  static #emptySlices(): Slice[] {
    return Array.from({ length: SLICES }, () => ({
      index: -1,
      successes: 0,
      failures: 0,
    }));
  }

  get state(): unknown {
    return this.#slices.map((slice) => ({ ...slice }));
  }

  set state(value: unknown) {
    if (Array.isArray(value) && value.length === SLICES) {
      this.#slices = (value as Slice[]).map((slice) => ({ ...slice }));
    }
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) {
      this.#slices = SlidingWindowBreaker.#emptySlices();
    }
    this.#currentSlice().successes += 1;
  }

  failure(state: CircuitState): boolean {
    const current = this.#currentSlice();
    current.failures += 1;
    if (state !== CircuitState.Closed) {
      return true;
    }
    let successes = 0;
    let failures = 0;
    for (const slice of this.#slices) {
      if (slice.index > current.index - SLICES) {
        successes += slice.successes;
        failures += slice.failures;
      }
    }
    const total = successes + failures;
    return (
      total >= this.#settings.minThroughput &&
      failures > this.#settings.failureRatio * total
    );
  }

  #currentSlice(): Slice {
    const index = Math.floor(Date.now() / this.#sliceMs);
    // The position is always from 0 to SLICES - 1, also for a clock
    // before 1970.
    const slice = this.#slices[((index % SLICES) + SLICES) % SLICES] as Slice;
    if (slice.index !== index) {
      slice.index = index;
      slice.successes = 0;
      slice.failures = 0;
    }
    return slice;
  }
}

/**
 * Creates the breaker for the two trip conditions: a count of consecutive
 * failures (cockatiel's ConsecutiveBreaker), and a failure ratio over a
 * sliding window. With both, either condition opens it.
 */
export function createBreaker(
  consecutiveFailures: number | undefined,
  sampling: SamplingSettings | undefined,
): IBreaker {
  const parts: IBreaker[] = [];
  if (consecutiveFailures !== undefined) {
    parts.push(new ConsecutiveBreaker(consecutiveFailures));
  }
  if (sampling !== undefined) {
    parts.push(new SlidingWindowBreaker(sampling));
  }
  return parts.length === 1 && parts[0] !== undefined
    ? parts[0]
    : new AnyOfBreaker(parts);
}
