import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { ScanContext } from "./detectors/detector.js";
import { roundScore } from "./detectors/detector.js";
import type { ThreatClassifier, ThreatFinding } from "./types.js";

async function classifyBatch(
  classifier: ThreatClassifier,
  batch: string[],
): Promise<number[]> {
  let scores: unknown;
  try {
    scores = await classifier.classify(batch);
  } catch (error) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Classifier "${classifier.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (
    !Array.isArray(scores) ||
    scores.length !== batch.length ||
    !scores.every(
      (score) => typeof score === "number" && score >= 0 && score <= 1,
    )
  ) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Classifier "${classifier.name}" returned ${describeValue(scores)} for ${batch.length} sentences; classify must return one number from 0 to 1 per sentence, in order.`,
    );
  }
  return scores as number[];
}

/**
 * Scores every sentence of the scan with the classifier, `batchSize`
 * sentences per call, one call at a time.
 * @throws {SecurityError} `INVALID_INPUT` when the classifier throws or
 * returns anything but one score from 0 to 1 per sentence.
 */
export async function classifySentences(
  context: ScanContext,
  classifier: ThreatClassifier,
  batchSize: number,
): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < context.sentences.length; start += batchSize) {
    const batch: string[] = [];
    const end = Math.min(start + batchSize, context.sentences.length);
    for (let index = start; index < end; index++) {
      batch.push(context.sentenceText(index));
    }
    scores.push(...(await classifyBatch(classifier, batch)));
  }
  return scores;
}

/**
 * Combines classifier scores with the rule findings. A prompt-injection
 * finding inside a sentence gets `1 - (1 - rule) * (1 - classifier)`, so
 * either source can raise the score and neither lowers it. A sentence
 * without such a finding whose classifier score reaches `minScore`
 * becomes a finding of its own, with the classifier's name as detector.
 */
export function mergeClassifierScores(
  context: ScanContext,
  findings: readonly ThreatFinding[],
  scores: readonly number[],
  classifier: ThreatClassifier,
  minScore: number,
): ThreatFinding[] {
  const merged = [...findings];
  context.sentences.forEach((sentence, index) => {
    const score = scores[index] ?? 0;
    const label = `Classifier "${classifier.name}" scored the sentence ${score.toFixed(2)}.`;
    let matched = false;
    for (let at = 0; at < merged.length; at++) {
      const finding = merged[at];
      if (
        finding !== undefined &&
        finding.type === "PROMPT_INJECTION" &&
        finding.start >= sentence.start &&
        finding.end <= sentence.end
      ) {
        matched = true;
        merged[at] = {
          ...finding,
          score: roundScore(1 - (1 - finding.score) * (1 - score)),
          reason: `${finding.reason} ${label}`,
        };
      }
    }
    if (!matched && score > 0 && score >= minScore) {
      merged.push({
        type: "PROMPT_INJECTION",
        start: sentence.start,
        end: sentence.end,
        text: context.sentenceText(index),
        match: { start: sentence.start, end: sentence.end },
        score: roundScore(score),
        reason: label,
        detector: classifier.name,
      });
    }
  });
  return merged;
}
