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
 * the longest span); findings of different types may overlap. Returns
 * findings sorted by start, then by type.
 */
export function resolveOverlaps(
  findings: readonly ThreatFinding[],
): ThreatFinding[] {
  const byType = new Map<ThreatType, ThreatFinding[]>();
  for (const finding of findings) {
    const list = byType.get(finding.type) ?? [];
    list.push(finding);
    byType.set(finding.type, list);
  }
  const kept: ThreatFinding[] = [];
  for (const list of byType.values()) {
    kept.push(...resolveType(list));
  }
  return kept.sort(
    (left, right) =>
      left.start - right.start ||
      left.end - right.end ||
      THREAT_TYPES.indexOf(left.type) - THREAT_TYPES.indexOf(right.type),
  );
}

/**
 * Resolves findings of one type, in groups of findings that overlap one
 * another, so the work grows with group size rather than with the text.
 */
function resolveType(list: ThreatFinding[]): ThreatFinding[] {
  list.sort((left, right) => left.start - right.start);
  const kept: ThreatFinding[] = [];
  let group: ThreatFinding[] = [];
  let groupEnd = -1;
  const settle = (): void => {
    const chosen: ThreatFinding[] = [];
    for (const finding of group.sort(byStrength)) {
      if (!chosen.some((other) => overlaps(finding, other))) {
        chosen.push(finding);
      }
    }
    kept.push(...chosen);
    group = [];
  };
  for (const finding of list) {
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
  return kept;
}
