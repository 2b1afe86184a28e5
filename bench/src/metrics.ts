import { containsAnyAnswer, normalizeAnswer } from "./normalize.js";
import type { PreparedItem } from "./prepared-item.js";

/** Scores of one method's output for one item. */
export interface OutputScore {
  /** 1 when a gold answer is kept, 0 when not; undefined when not scored. */
  readonly answerKept: number | undefined;
  /** Share of supporting facts kept; undefined without supporting facts. */
  readonly evidenceRecall: number | undefined;
  /** 1 when every supporting fact is kept; undefined without them. */
  readonly allEvidenceKept: number | undefined;
  readonly outputTokens: number;
  /** Original tokens / output tokens; `Infinity` for an empty output. */
  readonly achievedRatio: number;
}

/**
 * Scores an output against the item's gold data. Answers and supporting
 * facts count as kept when their normalised text is a substring of the
 * normalised output.
 */
export function scoreOutput(
  prepared: PreparedItem,
  output: string,
  outputTokens: number,
): OutputScore {
  const normalized = normalizeAnswer(output);
  const evidence = prepared.normalizedEvidence;
  const keptEvidence = evidence.filter((sentence) =>
    normalized.includes(sentence),
  ).length;
  const hasEvidence = evidence.length > 0;
  return {
    answerKept:
      prepared.scoredAnswers === undefined
        ? undefined
        : Number(containsAnyAnswer(normalized, prepared.scoredAnswers)),
    evidenceRecall: hasEvidence ? keptEvidence / evidence.length : undefined,
    allEvidenceKept: hasEvidence
      ? Number(keptEvidence === evidence.length)
      : undefined,
    outputTokens,
    achievedRatio:
      outputTokens === 0
        ? Number.POSITIVE_INFINITY
        : prepared.originalTokens / outputTokens,
  };
}

/** Averages of {@link OutputScore} over the items of one set, method and ratio. */
export interface ScoreSummary {
  readonly items: number;
  /** Items scored for answer retention. */
  readonly answerItems: number;
  /** Share of scored items whose answer is kept, 0–1. */
  readonly answerRetention: number | null;
  readonly evidenceRecall: number | null;
  readonly allEvidenceKept: number | null;
  /** Mean achieved ratio over the non-empty outputs. */
  readonly meanAchievedRatio: number | null;
  readonly minAchievedRatio: number | null;
  /** Empty outputs; a mean over seeds for the random baseline. */
  readonly emptyOutputs: number;
  readonly meanOutputTokens: number;
}

function meanOrNull(sum: number, count: number): number | null {
  return count > 0 ? sum / count : null;
}

/**
 * Sums output scores. A weight below 1 lets several runs of one item
 * (the seeds of the random baseline) count as one item together.
 */
export class ScoreAccumulator {
  private items = 0;
  private answerItems = 0;
  private answersKept = 0;
  private evidenceItems = 0;
  private evidenceRecallSum = 0;
  private allEvidenceKeptSum = 0;
  private nonEmpty = 0;
  private ratioSum = 0;
  private minRatio = Number.POSITIVE_INFINITY;
  private outputTokensSum = 0;

  /** Adds one output's score with the given weight. */
  add(score: OutputScore, weight = 1): void {
    this.items += weight;
    this.outputTokensSum += weight * score.outputTokens;
    if (score.answerKept !== undefined) {
      this.answerItems += weight;
      this.answersKept += weight * score.answerKept;
    }
    if (score.evidenceRecall !== undefined) {
      this.evidenceItems += weight;
      this.evidenceRecallSum += weight * score.evidenceRecall;
      this.allEvidenceKeptSum += weight * (score.allEvidenceKept ?? 0);
    }
    if (Number.isFinite(score.achievedRatio)) {
      this.nonEmpty += weight;
      this.ratioSum += weight * score.achievedRatio;
      this.minRatio = Math.min(this.minRatio, score.achievedRatio);
    }
  }

  /** Returns the averages; a metric with no scored item is null. */
  summarize(): ScoreSummary {
    const items = Math.round(this.items);
    return {
      items,
      answerItems: Math.round(this.answerItems),
      answerRetention: meanOrNull(this.answersKept, this.answerItems),
      evidenceRecall: meanOrNull(this.evidenceRecallSum, this.evidenceItems),
      allEvidenceKept: meanOrNull(this.allEvidenceKeptSum, this.evidenceItems),
      meanAchievedRatio: meanOrNull(this.ratioSum, this.nonEmpty),
      minAchievedRatio: this.nonEmpty > 0 ? this.minRatio : null,
      emptyOutputs: Math.round((this.items - this.nonEmpty) * 1000) / 1000,
      meanOutputTokens: this.items > 0 ? this.outputTokensSum / this.items : 0,
    };
  }
}
