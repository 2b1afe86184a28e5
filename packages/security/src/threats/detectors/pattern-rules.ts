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
  readonly accept?: (match: RegExpExecArray, view: MappedText) => boolean;
  /**
   * A lower score for matches that read as harmless use, such as a whole
   * query written out in documentation, with the reason that explains it.
   */
  readonly lower?: RuleLowering;
}

/** A lower score of a {@link PatternRule} and when it applies. */
export interface RuleLowering {
  /** Tells whether the match gets the lower score. */
  readonly when: (match: RegExpExecArray, view: MappedText) => boolean;
  readonly score: number;
  /** One sentence that explains what the match is and why it is lower. */
  readonly reason: string;
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
  /**
   * Whether the rules also run on the shell form of the code view, where
   * it differs: quotes and backslashes inside words removed (`w'g'e't`)
   * and `${IFS}` read as a space. @default false
   */
  readonly shellForm?: boolean;
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
      if (rule.accept !== undefined && !rule.accept(match, view)) {
        continue;
      }
      const span = view.toOriginal(match.index, match.index + match[0].length);
      const scoring =
        rule.lower !== undefined && rule.lower.when(match, view)
          ? rule.lower
          : rule;
      found.push(
        toFinding(context, {
          type: set.type,
          subtype: rule.subtype,
          detector: set.detector,
          span,
          match: span,
          score: scoring.score,
          reason: scoring.reason,
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
    const views = [context.code(index)];
    const shell = set.shellForm === true ? context.shell(index) : undefined;
    if (shell !== undefined && shell !== views[0]) {
      views.push(shell);
    }
    for (const view of views) {
      if (set.gate.test(view.text)) {
        for (const finding of findingsInView(context, view, set)) {
          found.push(finding);
        }
      }
    }
  }
  return found;
}

/**
 * Separators that SQL and shell payloads use in place of a space: white
 * space, a `+` from URL encoding, and empty or short inline comments.
 */
export const GAP = String.raw`(?:[\s+]|/\*[^*]{0,40}\*/)`;

/**
 * White space other than a line feed. Rules anchored at line starts (the
 * `m` flag) use it before their first token, so a run of empty lines is
 * not read again from each line start.
 */
export const LINE_SPACE = String.raw`[^\S\n]`;

/**
 * English words that prose uses and payloads rarely do; see
 * {@link readsAsProse}. A word counts only between white space and white
 * space or a sentence stop, so "to" in a path such as /path/to/file does
 * not.
 */
const FUNCTION_WORDS =
  /(?<!\S)(?:the|a|an|is|are|was|of|to|and|in|that|this|it|for|as|with|how|why|what|about|when|often|never|can|should|holds?|then|if)(?=[\s,.;:!?]|$)/gu;

/**
 * Tells whether the view around a match reads as English prose: three or
 * more function words outside the match.
 */
export function readsAsProse(
  match: RegExpExecArray,
  view: MappedText,
): boolean {
  const outside = `${view.text.slice(0, match.index)} ${view.text.slice(match.index + match[0].length)}`;
  return (outside.match(FUNCTION_WORDS)?.length ?? 0) >= 3;
}

/** A {@link GAP} other than a line feed. */
export const LINE_GAP = String.raw`(?:[^\S\n]|\+|/\*[^*]{0,40}\*/)`;
