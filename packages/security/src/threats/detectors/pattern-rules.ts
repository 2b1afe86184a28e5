import type { MappedText } from "../normalize/mapped-text.js";
import type { ThreatFinding, ThreatType } from "../types.js";
import { toFinding } from "./detector.js";
import type { ScanContext } from "./detector.js";

/**
 * One regular-expression rule that code detectors run on the code view of
 * each sentence (decoded, NFKC-folded, lower-cased).
 */
export interface PatternRule {
  readonly subtype: string;
  /** A pattern with the `g` flag. */
  readonly pattern: RegExp;
  readonly score: number;
  /** One sentence that explains what the match is. */
  readonly reason: string;
  /**
   * Extra check of a match against the whole view, such as "not inside a
   * Markdown table row"; the match is kept when it returns true.
   */
  readonly accept?: (match: RegExpExecArray, view: string) => boolean;
}

/** A set of rules that produce one kind of finding. */
export interface PatternRuleSet {
  readonly type: ThreatType;
  readonly detector: string;
  /**
   * A cheap pattern that every view with a possible match contains, tried
   * first so most prose sentences skip the rules.
   */
  readonly gate: RegExp;
  readonly rules: readonly PatternRule[];
}

function findingsInView(
  context: ScanContext,
  view: MappedText,
  set: PatternRuleSet,
): ThreatFinding[] {
  const found: ThreatFinding[] = [];
  for (const rule of set.rules) {
    for (const match of view.text.matchAll(rule.pattern)) {
      if (match[0].length === 0) {
        continue;
      }
      if (rule.accept !== undefined && !rule.accept(match, view.text)) {
        continue;
      }
      const span = view.toOriginal(match.index, match.index + match[0].length);
      found.push(
        toFinding(context, {
          type: set.type,
          subtype: rule.subtype,
          detector: set.detector,
          span,
          match: span,
          score: rule.score,
          reason: rule.reason,
        }),
      );
    }
  }
  return found;
}

/**
 * Runs a rule set on the code view of every sentence. Overlapping findings
 * are resolved later, by the scan.
 */
export function runPatternRules(
  context: ScanContext,
  set: PatternRuleSet,
): ThreatFinding[] {
  const found: ThreatFinding[] = [];
  for (let index = 0; index < context.sentences.length; index++) {
    const view = context.code(index);
    if (set.gate.test(view.text)) {
      found.push(...findingsInView(context, view, set));
    }
  }
  return found;
}

/**
 * Separators that SQL and shell payloads use in place of a space: white
 * space, a `+` from URL encoding, and empty or short inline comments.
 */
export const GAP = String.raw`(?:[\s+]|/\*[^*]{0,40}\*/)`;
