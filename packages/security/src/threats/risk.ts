import { THREAT_TYPES } from "./types.js";
import type {
  ThreatFinding,
  ThreatRecommendation,
  ThreatThresholds,
  ThreatType,
} from "./types.js";

/** Lowest score of a second type that raises the risk of the text. */
const MIN_CORROBORATING_SCORE = 0.5;

/**
 * Combines findings into the risk of the whole text, zero without
 * findings. The highest score of each type is taken. The highest of those
 * counts in full, and each other type scoring 0.5 or more adds to it at
 * half weight on a log scale: `1 - (1 - r1) * sqrt(1 - r2) * ...`. So
 * many findings of one type never add up beyond the strongest, while
 * agreeing kinds of evidence raise the risk.
 */
export function combineRisk(findings: readonly ThreatFinding[]): number {
  const byType = new Map<ThreatType, number>();
  for (const finding of findings) {
    byType.set(
      finding.type,
      Math.max(byType.get(finding.type) ?? 0, finding.score),
    );
  }
  const maxima = [...byType.values()].sort((left, right) => right - left);
  let remaining = 1;
  maxima.forEach((score, index) => {
    if (index === 0) {
      remaining *= 1 - score;
    } else if (score >= MIN_CORROBORATING_SCORE) {
      remaining *= Math.sqrt(1 - score);
    }
  });
  return Math.round((1 - remaining) * 1000) / 1000;
}

/** Maps a risk to the recommendation of the highest threshold it reaches. */
export function recommend(
  risk: number,
  thresholds: ThreatThresholds,
): ThreatRecommendation {
  if (risk > 0 && risk >= thresholds.block) {
    return "block";
  }
  if (risk > 0 && risk >= thresholds.mask) {
    return "mask";
  }
  if (risk > 0 && risk >= thresholds.warn) {
    return "warn";
  }
  return "allow";
}

function byStrength(left: ThreatFinding, right: ThreatFinding): number {
  return (
    right.score - left.score ||
    right.end - right.start - (left.end - left.start) ||
    left.start - right.start
  );
}

function overlaps(left: ThreatFinding, right: ThreatFinding): boolean {
  return left.start < right.end && right.start < left.end;
}

/**
 * Keeps, among overlapping findings of one type, the highest score (then
 * the longest span); findings of different types may overlap. A kept
 * finding's span grows to cover the findings it replaced, so masking it
 * removes everything they flagged; its `match` stays. Returns findings
 * sorted by start, then by end and by type.
 */
export function resolveOverlaps(
  findings: readonly ThreatFinding[],
  text: string,
): ThreatFinding[] {
  const byType = new Map<ThreatType, ThreatFinding[]>();
  for (const finding of findings) {
    const list = byType.get(finding.type) ?? [];
    list.push(finding);
    byType.set(finding.type, list);
  }
  const kept: ThreatFinding[] = [];
  for (const list of byType.values()) {
    for (const finding of resolveType(list, text)) {
      kept.push(finding);
    }
  }
  return kept.sort(inTextOrder);
}

function inTextOrder(left: ThreatFinding, right: ThreatFinding): number {
  return (
    left.start - right.start ||
    left.end - right.end ||
    THREAT_TYPES.indexOf(left.type) - THREAT_TYPES.indexOf(right.type)
  );
}

/**
 * Picks at most `limit` of the findings to report: the first finding of
 * each type, then the highest scores, earlier ones first among equals.
 * Returns them in text order, as {@link resolveOverlaps} sorts them.
 */
export function selectReported(
  findings: readonly ThreatFinding[],
  limit: number,
): ThreatFinding[] {
  if (findings.length <= limit) {
    return [...findings];
  }
  const chosen = new Set<ThreatFinding>();
  const types = new Set<string>();
  for (const finding of findings) {
    if (!types.has(finding.type) && chosen.size < limit) {
      types.add(finding.type);
      chosen.add(finding);
    }
  }
  const ranked = [...findings].sort(
    (left, right) => right.score - left.score || inTextOrder(left, right),
  );
  for (const finding of ranked) {
    if (chosen.size >= limit) {
      break;
    }
    chosen.add(finding);
  }
  return [...chosen].sort(inTextOrder);
}

/** A kept finding and the span it grows to. */
interface Chosen {
  readonly finding: ThreatFinding;
  start: number;
  end: number;
}

/** Counts the chosen findings, sorted by start, that start before `offset`. */
function startingBefore(chosen: readonly Chosen[], offset: number): number {
  let low = 0;
  let high = chosen.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((chosen[middle]?.finding.start ?? 0) < offset) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/**
 * Returns the chosen finding whose own span overlaps `finding`, if any.
 * Chosen spans do not overlap one another, so sorted by start they are
 * sorted by end too, and only the last one that starts before `finding`
 * ends can overlap it.
 */
function overlapping(
  chosen: readonly Chosen[],
  finding: ThreatFinding,
): Chosen | undefined {
  const candidate = chosen[startingBefore(chosen, finding.end) - 1];
  return candidate !== undefined && overlaps(candidate.finding, finding)
    ? candidate
    : undefined;
}

/** Picks the strongest findings of a group and grows them over the rest. */
function settleGroup(group: ThreatFinding[], text: string): ThreatFinding[] {
  const chosen: Chosen[] = [];
  for (const finding of group.sort(byStrength)) {
    const covering = overlapping(chosen, finding);
    if (covering === undefined) {
      const entry = { finding, start: finding.start, end: finding.end };
      chosen.splice(startingBefore(chosen, finding.start + 1), 0, entry);
    } else {
      covering.start = Math.min(covering.start, finding.start);
      covering.end = Math.max(covering.end, finding.end);
    }
  }
  return chosen.map(({ finding, start, end }) =>
    start === finding.start && end === finding.end
      ? finding
      : { ...finding, start, end, text: text.slice(start, end) },
  );
}

/**
 * Resolves findings of one type, in groups of findings that overlap one
 * another, so the work grows with group size rather than with the text.
 */
function resolveType(list: ThreatFinding[], text: string): ThreatFinding[] {
  list.sort((left, right) => left.start - right.start);
  const kept: ThreatFinding[] = [];
  let group: ThreatFinding[] = [];
  let groupEnd = -1;
  for (const finding of list) {
    if (group.length > 0 && finding.start >= groupEnd) {
      for (const settled of settleGroup(group, text)) {
        kept.push(settled);
      }
      group = [];
    }
    groupEnd =
      group.length === 0 ? finding.end : Math.max(groupEnd, finding.end);
    group.push(finding);
  }
  for (const settled of settleGroup(group, text)) {
    kept.push(settled);
  }
  return kept;
}
