import { isSupportedCountry } from "libphonenumber-js/max";

import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { BUILT_IN_RECOGNIZERS } from "./recognizers/index.js";
import { PII_TYPES } from "./types.js";
import type { PiiFinding, PiiType, Recognizer } from "./types.js";

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

/**
 * Kinds found by context and lexicon rules rather than by a checked
 * pattern. They yield to every other kind where spans overlap, so a name
 * never swallows an adjacent e-mail address.
 */
const SOFT_TYPES: ReadonlySet<PiiType> = new Set(["PERSON", "LOCATION"]);

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

function compareText(left: string, right: string): number {
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

/**
 * Orders candidates: hard kinds before soft ones, then longest, highest
 * score and earliest. Kind and recognizer name break the last ties, so
 * the order of recognizers never changes the result.
 */
function byStrength(left: PiiFinding, right: PiiFinding): number {
  return (
    Number(SOFT_TYPES.has(left.type)) - Number(SOFT_TYPES.has(right.type)) ||
    right.end - right.start - (left.end - left.start) ||
    right.score - left.score ||
    left.start - right.start ||
    PII_TYPES.indexOf(left.type) - PII_TYPES.indexOf(right.type) ||
    compareText(left.recognizer, right.recognizer)
  );
}

/**
 * Keeps the strongest of overlapping findings. Candidates are first cut
 * into groups that overlap among themselves, so the choice inside a group
 * costs the square of the group's size, not of the whole text's findings.
 */
function resolveOverlaps(candidates: readonly PiiFinding[]): PiiFinding[] {
  const byStart = [...candidates].sort(
    (left, right) => left.start - right.start || left.end - right.end,
  );
  const kept: PiiFinding[] = [];
  let group: PiiFinding[] = [];
  let groupEnd = -1;
  const settle = (): void => {
    const chosen: PiiFinding[] = [];
    for (const finding of group.sort(byStrength)) {
      if (
        !chosen.some(
          (other) => finding.start < other.end && other.start < finding.end,
        )
      ) {
        chosen.push(finding);
      }
    }
    kept.push(...chosen);
    group = [];
  };
  for (const finding of byStart) {
    if (group.length > 0 && finding.start >= groupEnd) {
      settle();
    }
    groupEnd =
      group.length === 0 ? finding.end : Math.max(groupEnd, finding.end);
    group.push(finding);
  }
  if (group.length > 0) {
    settle();
  }
  return kept.sort((left, right) => left.start - right.start);
}

function checkFinding(
  finding: PiiFinding,
  text: string,
  recognizer: string,
): void {
  const given = finding as Partial<PiiFinding> | null;
  if (
    typeof given !== "object" ||
    given === null ||
    !(PII_TYPES as readonly unknown[]).includes(given.type) ||
    typeof given.score !== "number" ||
    !(given.score >= 0 && given.score <= 1)
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Recognizer "${recognizer}" returned ${describeValue(finding)} with a kind or score out of range; a finding needs a kind of ${PII_TYPES.join(", ")} and a score from 0 to 1.`,
    );
  }
  if (
    !Number.isInteger(finding.start) ||
    !Number.isInteger(finding.end) ||
    finding.start < 0 ||
    finding.end > text.length ||
    finding.start >= finding.end ||
    text.slice(finding.start, finding.end) !== finding.text
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Recognizer "${recognizer}" returned a finding at ${String(finding.start)}–${String(finding.end)} whose text is not that slice of the input; a finding's text must equal text.slice(start, end).`,
    );
  }
}

/**
 * Finds personal data and secrets in a text. Each recognizer validates
 * its candidates (checksums, number metadata, calendars, context words);
 * where findings overlap, the longest wins, then the highest score, and
 * names and locations yield to every other kind. Findings are sorted by
 * start and never overlap.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string,
 * `INVALID_OPTIONS` listing every invalid option.
 */
export function detectPii(
  text: string,
  options: DetectPiiOptions = {},
): PiiFinding[] {
  const given: unknown = text;
  if (typeof given !== "string") {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `detectPii takes the text as a string (received ${describeValue(given)}).`,
    );
  }
  return detectWithOptions(text, checkDetectOptions(options));
}

/**
 * Runs {@link detectPii} with options that {@link checkDetectOptions}
 * has already checked.
 */
export function detectWithOptions(
  text: string,
  checked: DetectPiiOptions,
): PiiFinding[] {
  const requested = new Set<PiiType>(checked.types ?? PII_TYPES);
  const minScore = checked.minScore ?? 0;
  const context = { defaultRegion: checked.defaultRegion };
  const candidates: PiiFinding[] = [];
  for (const recognizer of [
    ...BUILT_IN_RECOGNIZERS,
    ...(checked.recognizers ?? []),
  ]) {
    if (!recognizer.types.some((type) => requested.has(type))) {
      continue;
    }
    let found: unknown;
    try {
      found = recognizer.find(text, context);
    } catch (error) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Recognizer "${recognizer.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (!Array.isArray(found)) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Recognizer "${recognizer.name}" returned ${describeValue(found)}; find must return a list of findings, empty when it finds nothing.`,
      );
    }
    for (const finding of found as PiiFinding[]) {
      checkFinding(finding, text, recognizer.name);
      if (requested.has(finding.type) && finding.score >= minScore) {
        candidates.push(finding);
      }
    }
  }
  return resolveOverlaps(candidates);
}
