import { isSupportedCountry } from "libphonenumber-js/max";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { PII_TYPES } from "./types.js";
import type { PiiType, Recognizer } from "./types.js";

/** Options of {@link detectPii}. */
export interface DetectPiiOptions {
  /** Kinds to report. @default every kind */
  readonly types?: readonly PiiType[];
  /**
   * Region of phone numbers written without a country code, as an ISO
   * 3166-1 alpha-2 code such as "FR". Without it, only numbers with a
   * country code are found.
   */
  readonly defaultRegion?: string;
  /** Findings below this score are dropped. @default 0 */
  readonly minScore?: number;
  /** Recognizers to run besides the built-in ones. */
  readonly recognizers?: readonly Recognizer[];
}

const OPTION_NAMES = ["types", "defaultRegion", "minScore", "recognizers"];

/**
 * Checks the options of {@link detectPii}; `extraNames` are the options of
 * a caller such as maskPii, accepted here and checked there.
 */
export function checkDetectOptions(
  options: unknown,
  extraNames: readonly string[] = [],
): DetectPiiOptions {
  if (typeof options !== "object" || options === null) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { defaultRegion: "FR" } (received ${describeValue(options)}).`,
    );
  }
  const record = options as Record<string, unknown>;
  const issues: SecurityIssue[] = [];
  for (const key of Object.keys(record)) {
    if (!OPTION_NAMES.includes(key) && !extraNames.includes(key)) {
      // The value is left out: a mistyped option may hold a secret key.
      issues.push({
        path: key,
        value: undefined,
        message: `Unknown option "${key}". Valid options are ${[...OPTION_NAMES, ...extraNames].join(", ")}.`,
      });
    }
  }
  const { types, defaultRegion, minScore, recognizers } = record;
  if (
    types !== undefined &&
    (!Array.isArray(types) ||
      !types.every((type) => (PII_TYPES as readonly unknown[]).includes(type)))
  ) {
    issues.push({
      path: "types",
      value: types,
      message: `types must be a list of ${PII_TYPES.join(", ")} (received ${describeValue(types)}).`,
    });
  }
  if (
    defaultRegion !== undefined &&
    (typeof defaultRegion !== "string" ||
      !/^[A-Z]{2}$/u.test(defaultRegion) ||
      !isSupportedCountry(defaultRegion))
  ) {
    const hint = defaultRegion === "UK" ? ' The United Kingdom is "GB".' : "";
    issues.push({
      path: "defaultRegion",
      value: defaultRegion,
      message: `defaultRegion must be the two-letter ISO 3166-1 code, in capitals, of a region with a phone numbering plan, such as "FR" (received ${describeValue(defaultRegion)}).${hint}`,
    });
  }
  if (
    minScore !== undefined &&
    (typeof minScore !== "number" || !(minScore >= 0 && minScore <= 1))
  ) {
    issues.push({
      path: "minScore",
      value: minScore,
      message: `minScore must be a number from 0 to 1 (received ${describeValue(minScore)}).`,
    });
  }
  if (
    recognizers !== undefined &&
    (!Array.isArray(recognizers) ||
      !recognizers.every(
        (entry) =>
          typeof (entry as Partial<Recognizer> | null)?.name === "string" &&
          typeof (entry as Partial<Recognizer>).find === "function" &&
          Array.isArray((entry as Partial<Recognizer>).types) &&
          ((entry as Recognizer).types as readonly unknown[]).every((type) =>
            (PII_TYPES as readonly unknown[]).includes(type),
          ),
      ))
  ) {
    issues.push({
      path: "recognizers",
      value: recognizers,
      message: `recognizers must be a list of objects { name, types, find(text, context) } whose types are among ${PII_TYPES.join(", ")} (received ${describeValue(recognizers)}).`,
    });
  }
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  return record;
}
