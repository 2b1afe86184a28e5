import { toEpochMs } from "../keys/validation.js";

/** Milliseconds in one UTC day. */
export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** Returns the start of the UTC day that contains `time`, in epoch ms. */
export function utcDayStart(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** Formats the UTC day that contains `time` as `YYYY-MM-DD`. */
export function formatUtcDay(time: number): string {
  return new Date(utcDayStart(time)).toISOString().slice(0, 10);
}

/**
 * Converts a day given as `YYYY-MM-DD` (a UTC calendar date, years 0000
 * to 9999), a `Date` or epoch milliseconds to the start of its UTC day.
 * Returns undefined for anything else, including dates that do not exist
 * (`2026-02-30`) and numbers above the `Date` range.
 */
export function toUtcDayStart(value: unknown): number | undefined {
  if (typeof value === "string") {
    const match = DAY_PATTERN.exec(value);
    if (match === null) {
      return undefined;
    }
    // Date.UTC would read the years 0 to 99 as 1900 to 1999, and
    // setUTCFullYear takes every year as given.
    const date = new Date(0);
    date.setUTCFullYear(
      Number(match[1]),
      Number(match[2]) - 1,
      Number(match[3]),
    );
    const time = date.getTime();
    return formatUtcDay(time) === value ? time : undefined;
  }
  const time = toEpochMs(value);
  return time === undefined ? undefined : utcDayStart(time);
}
