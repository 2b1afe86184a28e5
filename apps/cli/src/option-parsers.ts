import { PROTECTED_CLASSES } from "@retrieval-free/core-engine";
import type { ProtectedClass } from "@retrieval-free/core-engine";
import { InvalidArgumentError } from "commander";

// Plain decimal notation only, so that typos such as "8x", "0x10" or ""
// fail instead of turning into NaN or a different number.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// "/pattern/flags": the last slash ends the pattern, so the pattern itself
// may contain slashes. Only JavaScript flag letters count as flags, so a
// path such as "/usr/bin" stays a plain pattern.
const SLASHED_PATTERN = /^\/(.+)\/([dgimsuvy]*)$/s;

/**
 * Parses an option value as a decimal number. The engine checks the range,
 * so that its messages state the valid values.
 */
export function parseNumber(value: string): number {
  if (!DECIMAL.test(value)) {
    throw new InvalidArgumentError("Pass a decimal number such as 4 or 2000.");
  }
  return Number(value);
}

/**
 * Parses a regular expression written as `PATTERN` or `/PATTERN/FLAGS`
 * in JavaScript syntax.
 */
export function parseRegExp(value: string): RegExp {
  const slashed = SLASHED_PATTERN.exec(value);
  try {
    return slashed === null
      ? new RegExp(value)
      : new RegExp(slashed[1] as string, slashed[2]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(
      `${reason}. Pass a JavaScript regular expression such as 'ISBN [0-9-]+' or '/total/i'.`,
    );
  }
}

/** Parses the name of a built-in preserved class such as `dates`. */
export function parseProtectedClass(value: string): ProtectedClass {
  const found = PROTECTED_CLASSES.find((name) => name === value);
  if (found === undefined) {
    throw new InvalidArgumentError(
      `Allowed classes are ${PROTECTED_CLASSES.join(", ")}.`,
    );
  }
  return found;
}

/**
 * Wraps a parser for a repeatable option, so that each occurrence adds its
 * value to the list.
 */
export function collect<T>(
  parse: (value: string) => T,
): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}
