import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import { checkDetectOptions } from "./detect-options.js";
import type { DetectPiiOptions } from "./detect-options.js";
import { normalizeForDetection } from "./normalized-text.js";
import type { NormalizedText } from "./normalized-text.js";
import { BUILT_IN_RECOGNIZERS } from "./recognizers/index.js";
import { PII_TYPES } from "./types.js";
import type {
  PiiFinding,
  PiiType,
  Recognizer,
  RecognizerContext,
} from "./types.js";

export { checkDetectOptions } from "./detect-options.js";
export type { DetectPiiOptions } from "./detect-options.js";

/**
 * Kinds found by context and lexicon rules rather than by a checked
 * pattern. They yield to every other kind where spans overlap, so a name
 * never swallows an adjacent e-mail address.
 */
const SOFT_TYPES: ReadonlySet<PiiType> = new Set(["PERSON", "LOCATION"]);

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

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Tells whether `offset` falls between the two halves of a surrogate pair. */
function splitsSurrogatePair(text: string, offset: number): boolean {
  return (
    isHighSurrogate(text.charCodeAt(offset - 1)) &&
    isLowSurrogate(text.charCodeAt(offset))
  );
}

function checkFinding(
  finding: PiiFinding,
  text: string,
  recognizer: Recognizer,
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
      `Recognizer "${recognizer.name}" returned ${describeValue(finding)} with a kind or score out of range; a finding needs a kind of ${PII_TYPES.join(", ")} and a score from 0 to 1.`,
    );
  }
  if (!recognizer.types.includes(finding.type)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Recognizer "${recognizer.name}" returned a finding of kind ${finding.type}, which is not among its types (${recognizer.types.join(", ")}); add the kind to types or stop returning it.`,
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
      `Recognizer "${recognizer.name}" returned a finding at ${String(finding.start)}–${String(finding.end)} whose text is not that slice of the input; a finding's text must equal text.slice(start, end).`,
    );
  }
  if (
    splitsSurrogatePair(text, finding.start) ||
    splitsSurrogatePair(text, finding.end)
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Recognizer "${recognizer.name}" returned a finding at ${String(finding.start)}–${String(finding.end)} that splits a surrogate pair; a finding must start and end between whole characters.`,
    );
  }
}

/**
 * Runs one recognizer and checks its findings against the text it read.
 * @throws {SecurityError} `INVALID_INPUT` when the recognizer throws or
 * returns anything but findings of that text, of its declared kinds.
 */
function runRecognizer(
  recognizer: Recognizer,
  text: string,
  context: RecognizerContext,
): PiiFinding[] {
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
    checkFinding(finding, text, recognizer);
  }
  return found as PiiFinding[];
}

/** Moves a finding of the normalized text to the original text. */
function toOriginalFinding(
  finding: PiiFinding,
  view: NormalizedText,
  text: string,
): PiiFinding {
  if (view.text === text) {
    return finding;
  }
  const { start, end } = view.toOriginal(finding.start, finding.end);
  return { ...finding, start, end, text: text.slice(start, end) };
}

/**
 * Finds personal data and secrets in a text. Each recognizer validates
 * its candidates (checksums, number metadata, calendars, context words);
 * where findings overlap, the longest wins, then the highest score, and
 * names and locations yield to every other kind. Findings are sorted by
 * start and never overlap.
 *
 * The built-in recognizers read the text after
 * {@link normalizeForDetection}, so zero-width characters, soft hyphens,
 * no-break spaces and full-width or other-script digits do not hide a
 * value. Each finding's offsets are those of the original text and span
 * any character removed inside it. Recognizers in `options.recognizers`
 * read the text as given.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string or
 * a recognizer fails, `INVALID_OPTIONS` listing every invalid option.
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
  const isRequested = (recognizer: Recognizer): boolean =>
    recognizer.types.some((type) => requested.has(type));
  const candidates: PiiFinding[] = [];
  const keep = (finding: PiiFinding): void => {
    if (requested.has(finding.type) && finding.score >= minScore) {
      candidates.push(finding);
    }
  };

  const view = normalizeForDetection(text);
  for (const recognizer of BUILT_IN_RECOGNIZERS.filter(isRequested)) {
    for (const finding of runRecognizer(recognizer, view.text, context)) {
      keep(toOriginalFinding(finding, view, text));
    }
  }
  for (const recognizer of (checked.recognizers ?? []).filter(isRequested)) {
    for (const finding of runRecognizer(recognizer, text, context)) {
      keep(finding);
    }
  }
  return resolveOverlaps(candidates);
}
