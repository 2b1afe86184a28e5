import { describe, expect, it } from "vitest";

import { formatUtcDay, toUtcDayStart, utcDayStart } from "./days.js";

describe("UTC days", () => {
  it("starts a day at UTC midnight", () => {
    const midnight = Date.UTC(2026, 11, 31);
    expect(utcDayStart(midnight)).toBe(midnight);
    expect(utcDayStart(midnight - 1)).toBe(Date.UTC(2026, 11, 30));
    expect(formatUtcDay(midnight + 86_399_999)).toBe("2026-12-31");
    expect(formatUtcDay(midnight + 86_400_000)).toBe("2027-01-01");
  });

  it("reads days from strings, dates and numbers", () => {
    const day = Date.UTC(2024, 1, 29);
    expect(toUtcDayStart("2024-02-29")).toBe(day);
    expect(toUtcDayStart(new Date(day + 5))).toBe(day);
    expect(toUtcDayStart(day + 5)).toBe(day);
  });

  it("reads the years 0000 to 0099 as given", () => {
    const cases = [
      { text: "0000-01-01", year: 0, month: 0, day: 1 },
      { text: "0099-12-31", year: 99, month: 11, day: 31 },
    ];
    for (const { text, year, month, day } of cases) {
      const date = new Date(0);
      date.setUTCFullYear(year, month, day);

      expect(toUtcDayStart(text)).toBe(date.getTime());
      expect(formatUtcDay(date.getTime())).toBe(text);
    }
  });

  it("rejects numbers beyond the Date range", () => {
    expect(toUtcDayStart(8_640_000_000_000_000)).toBe(8_640_000_000_000_000);
    expect(toUtcDayStart(8_640_000_000_000_001)).toBeUndefined();
  });

  it("rejects days that do not exist", () => {
    for (const value of [
      "2025-02-29",
      "2026-13-01",
      "2026-1-1",
      "2026-01-01T00:00:00Z",
      new Date(Number.NaN),
      -1,
      1.5,
      null,
    ]) {
      expect(toUtcDayStart(value)).toBeUndefined();
    }
  });
});
