/** A clock that moves only when a test advances it. */
export interface TestClock {
  readonly now: () => number;
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/** Start time of test clocks: 2023-11-14T22:13:20Z. */
export const TEST_EPOCH = 1_700_000_000_000;

/** Creates a clock that starts at `start` ms since the epoch. */
export function createTestClock(start = TEST_EPOCH): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}
