/** A deterministic source of random numbers for generated test inputs. */
export interface Random {
  /** Returns a number in `[0, 1)`. */
  next(): number;
  /** Returns a whole number in `[0, max)`. */
  int(max: number): number;
  /** Returns one element of a non-empty list. */
  pick<T>(values: readonly T[]): T;
}

/**
 * Creates a seeded pseudo-random generator (mulberry32), so a failing
 * generated input can be reproduced from its seed.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    next,
    int,
    pick<T>(values: readonly T[]): T {
      if (values.length === 0) {
        throw new Error("pick needs a non-empty list.");
      }
      return values[int(values.length)] as T;
    },
  };
}
