import { describe, expect, it } from "vitest";

import { planWindows } from "./windows.js";
import type { TokenWindow } from "./windows.js";

/** Word index of each token, for words of the given piece counts. */
function pieceWordsOf(pieceCounts: readonly number[]): number[] {
  return pieceCounts.flatMap((count, word) =>
    new Array<number>(count).fill(word),
  );
}

/** Asserts the invariants that every plan must meet. */
function expectValidPlan(
  windows: readonly TokenWindow[],
  count: number,
  room: number,
): void {
  expect(windows[0]?.start).toBe(0);
  expect(windows.at(-1)?.end).toBe(count);
  let owned = 0;
  windows.forEach((window, index) => {
    expect(window.end - window.start).toBeLessThanOrEqual(room);
    expect(window.ownStart).toBe(owned);
    expect(window.ownStart).toBeGreaterThanOrEqual(window.start);
    expect(window.ownEnd).toBeLessThanOrEqual(window.end);
    expect(window.ownEnd).toBeGreaterThan(window.ownStart);
    const next = windows[index + 1];
    if (next !== undefined) {
      expect(next.start).toBeGreaterThan(window.start);
      expect(next.start).toBeLessThanOrEqual(window.end);
    }
    owned = window.ownEnd;
  });
  expect(owned).toBe(count);
}

describe("planWindows", () => {
  it("uses one window when the text fits", () => {
    expect(planWindows(pieceWordsOf([1, 2, 1]), 8, 2)).toEqual([
      { start: 0, end: 4, ownStart: 0, ownEnd: 4 },
    ]);
  });

  it("overlaps windows and splits ownership halfway", () => {
    const windows = planWindows(pieceWordsOf(new Array(20).fill(1)), 8, 2);
    expect(windows.slice(0, 2)).toEqual([
      { start: 0, end: 8, ownStart: 0, ownEnd: 7 },
      { start: 6, end: 14, ownStart: 7, ownEnd: 13 },
    ]);
    expectValidPlan(windows, 20, 8);
  });

  it("ends windows at word boundaries", () => {
    // With words of 3 pieces, a window of 8 ends after two whole words.
    const windows = planWindows(pieceWordsOf([3, 3, 3, 3]), 8, 1);
    expect(windows[0]?.end).toBe(6);
    expect(windows[1]?.start).toBe(3);
    expectValidPlan(windows, 12, 8);
  });

  it("splits a word longer than a window", () => {
    const windows = planWindows(pieceWordsOf([1, 20, 1]), 8, 2);
    expectValidPlan(windows, 22, 8);
  });

  it("covers every token once for many shapes", () => {
    for (let room = 2; room <= 12; room++) {
      for (let overlap = 0; overlap < room; overlap++) {
        const counts = Array.from(
          { length: 15 },
          (_, index) => 1 + ((index * 7 + room) % 4),
        );
        const pieceWords = pieceWordsOf(counts);
        const windows = planWindows(pieceWords, room, overlap);
        expectValidPlan(windows, pieceWords.length, room);
      }
    }
  });
});
