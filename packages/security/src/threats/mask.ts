import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { checkText } from "./check-text.js";
import type { ThreatFinding, ThreatScanResult } from "./types.js";

/** Options of {@link maskThreats}. */
export interface MaskThreatsOptions {
  /**
   * Replacement of a flagged span: a fixed string, or a function of the
   * strongest finding in the span.
   * @default (finding) => `[REMOVED: ${finding.type}]`
   */
  readonly marker?: string | ((finding: ThreatFinding) => string);
  /** Findings below this score stay in the text. @default 0 */
  readonly minScore?: number;
}

/** One replaced span. */
export interface MaskedThreat {
  /** The strongest finding among those that overlap in this span. */
  readonly finding: ThreatFinding;
  readonly replacement: string;
  /** Offsets of the replacement in the masked text. */
  readonly start: number;
  readonly end: number;
}

/** The result of {@link maskThreats}. */
export interface MaskThreatsResult {
  readonly text: string;
  /** Replaced spans in text order. */
  readonly masked: readonly MaskedThreat[];
}

function defaultMarker(finding: ThreatFinding): string {
  return `[REMOVED: ${finding.type}]`;
}

function checkMaskOptions(options: unknown): Required<MaskThreatsOptions> {
  if (
    typeof options !== "object" ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { marker: "[removed]" } (received ${describeValue(options)}).`,
    );
  }
  const { marker, minScore, ...rest } = options as Record<string, unknown>;
  const issues: SecurityIssue[] = Object.keys(rest).map((key) => ({
    path: key,
    value: undefined,
    message: `Unknown option "${key}". Valid options are marker, minScore.`,
  }));
  if (
    marker !== undefined &&
    typeof marker !== "string" &&
    typeof marker !== "function"
  ) {
    issues.push({
      path: "marker",
      value: marker,
      message: `marker must be a string or a function of the finding (received ${describeValue(marker)}).`,
    });
  }
  if (
    minScore !== undefined &&
    !(typeof minScore === "number" && minScore >= 0 && minScore <= 1)
  ) {
    issues.push({
      path: "minScore",
      value: minScore,
      message: `minScore must be a number from 0 to 1 (received ${describeValue(minScore)}).`,
    });
  }
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  return {
    marker: (marker as MaskThreatsOptions["marker"]) ?? defaultMarker,
    minScore: (minScore as number | undefined) ?? 0,
  };
}

function checkFindings(text: string, findings: unknown): ThreatFinding[] {
  if (!Array.isArray(findings)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `maskThreats takes a scan result with a findings list (received findings ${describeValue(findings)}).`,
    );
  }
  for (const finding of findings as Partial<ThreatFinding>[]) {
    const { start, end, score } = finding;
    if (
      typeof start !== "number" ||
      typeof end !== "number" ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > text.length ||
      start >= end ||
      (finding.text !== undefined && text.slice(start, end) !== finding.text)
    ) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `The finding at ${describeValue(start)}–${describeValue(end)} does not match the text; pass the result of scanning this same text.`,
      );
    }
    if (typeof score !== "number" || !(score >= 0 && score <= 1)) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `The finding at ${start}–${end} has score ${typeof score === "number" ? String(score) : describeValue(score)}; a finding needs a score from 0 to 1, as scanThreats returns.`,
      );
    }
  }
  return findings as ThreatFinding[];
}

/** Groups findings whose spans overlap, in text order. */
function overlapGroups(findings: readonly ThreatFinding[]): ThreatFinding[][] {
  const sorted = [...findings].sort((left, right) => left.start - right.start);
  const groups: ThreatFinding[][] = [];
  let groupEnd = -1;
  for (const finding of sorted) {
    const current = groups.at(-1);
    if (current !== undefined && finding.start < groupEnd) {
      current.push(finding);
      groupEnd = Math.max(groupEnd, finding.end);
    } else {
      groups.push([finding]);
      groupEnd = finding.end;
    }
  }
  return groups;
}

/**
 * Returns the replacement of a span.
 * @throws {SecurityError} `INVALID_OPTIONS` when a marker function throws
 * or returns anything but a string.
 */
function markerFor(
  finding: ThreatFinding,
  marker: NonNullable<MaskThreatsOptions["marker"]>,
): string {
  if (typeof marker === "string") {
    return marker;
  }
  let replacement: unknown;
  try {
    replacement = marker(finding);
  } catch (error) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `marker threw for a ${finding.type} finding: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (typeof replacement !== "string") {
    const issue = {
      path: "marker",
      value: replacement,
      message: `marker returned ${describeValue(replacement)} for a ${finding.type} finding; it must return a string.`,
    };
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `1 invalid option: ${issue.message}`,
      { issues: [issue] },
    );
  }
  return replacement;
}

/** Replaces each group of overlapping findings with one marker. */
function replaceGroups(
  text: string,
  findings: readonly ThreatFinding[],
  marker: NonNullable<MaskThreatsOptions["marker"]>,
): MaskThreatsResult {
  const parts: string[] = [];
  const masked: MaskedThreat[] = [];
  let copied = 0;
  let length = 0;
  for (const group of overlapGroups(findings)) {
    let strongest = group[0] as ThreatFinding;
    let start = strongest.start;
    let end = strongest.end;
    for (const finding of group) {
      strongest = finding.score > strongest.score ? finding : strongest;
      start = Math.min(start, finding.start);
      end = Math.max(end, finding.end);
    }
    const replacement = markerFor(strongest, marker);
    parts.push(text.slice(copied, start), replacement);
    length += start - copied;
    masked.push({
      finding: strongest,
      replacement,
      start: length,
      end: length + replacement.length,
    });
    length += replacement.length;
    copied = end;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(""), masked };
}

/**
 * Replaces the spans of a scan's findings with a marker, so the
 * recommendation "mask" can be applied. Overlapping findings are replaced
 * as one span, named after the strongest of them. Only the reported
 * findings are masked: when the result has `omittedFindings`, reject the
 * text instead.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string or a
 * finding does not fit the text or has no score from 0 to 1,
 * `INVALID_OPTIONS` listing every invalid option, or when `marker`
 * throws or returns anything but a string.
 */
export function maskThreats(
  text: string,
  result: Pick<ThreatScanResult, "findings">,
  options: MaskThreatsOptions = {},
): MaskThreatsResult {
  checkText(text, "maskThreats");
  const { marker, minScore } = checkMaskOptions(options);
  const findings = checkFindings(
    text,
    (result as Partial<ThreatScanResult> | null)?.findings,
  ).filter((finding) => finding.score >= minScore);
  return replaceGroups(text, findings, marker);
}
