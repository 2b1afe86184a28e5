import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { ScanContext } from "./detectors/detector.js";
import { roundScore } from "./detectors/detector.js";
import type { TextSpan } from "./normalize/mapped-text.js";
import { sentenceAt } from "./segment.js";
import type { ThreatClassifier, ThreatFinding } from "./types.js";

/** Values of a typed array or array, for messages: NaN stays NaN. */
function describeScores(scores: unknown): string {
  if (!Array.isArray(scores) && !ArrayBuffer.isView(scores)) {
    return describeValue(scores);
  }
  const list = scores as ArrayLike<unknown>;
  const rendered: string[] = [];
  for (let index = 0; index < Math.min(list.length, 5); index++) {
    const value = list[index];
    if (!(index in list)) {
      rendered.push("<empty>");
    } else if (typeof value === "number") {
      rendered.push(String(value));
    } else {
      rendered.push(describeValue(value));
    }
  }
  const more = list.length > 5 ? ", ..." : "";
  return `${list.length} values [${rendered.join(", ")}${more}]`;
}

/**
 * Reads the output of `classify` as one score per sentence: an array or a
 * typed array such as a Float32Array, of exactly `count` numbers from 0 to
 * 1, with no holes. Returns undefined for anything else.
 */
function readScores(output: unknown, count: number): number[] | undefined {
  const isList =
    Array.isArray(output) ||
    (ArrayBuffer.isView(output) && !(output instanceof DataView));
  if (!isList) {
    return undefined;
  }
  const list = output as ArrayLike<unknown>;
  if (list.length !== count) {
    return undefined;
  }
  const scores: number[] = [];
  for (let index = 0; index < count; index++) {
    const score = list[index];
    if (!(index in list) || typeof score !== "number") {
      return undefined;
    }
    if (!(score >= 0 && score <= 1)) {
      return undefined;
    }
    scores.push(score);
  }
  return scores;
}

/**
 * Settles like `work`, or rejects with the signal's reason as soon as the
 * signal aborts, as `fetch` does. The listener is removed either way.
 */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) {
    return work;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      // As fetch does, reject with whatever reason the caller aborted with.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    work
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function classifyBatch(
  classifier: ThreatClassifier,
  batch: string[],
  signal: AbortSignal | undefined,
): Promise<number[]> {
  // The classifier gets its own copy, so changing it changes nothing here.
  const count = batch.length;
  let output: unknown;
  try {
    const call = async (): Promise<unknown> =>
      signal === undefined
        ? classifier.classify([...batch])
        : classifier.classify([...batch], { signal });
    output = await untilAborted(call(), signal);
  } catch (error) {
    if (signal?.aborted === true && error === signal.reason) {
      throw error;
    }
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Classifier "${classifier.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const scores = readScores(output, count);
  if (scores === undefined) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Classifier "${classifier.name}" returned ${describeScores(output)} for ${count} sentences; classify must return an array or typed array of exactly one number from 0 to 1 per sentence, in order.`,
    );
  }
  return scores;
}

/**
 * Scores every sentence of the scan with the classifier, `batchSize`
 * sentences per call, one call at a time. When `signal` aborts, rejects
 * with its reason without waiting for the pending call.
 * @throws {SecurityError} `INVALID_INPUT` when the classifier throws or
 * returns anything but one score from 0 to 1 per sentence.
 */
export async function classifySentences(
  context: ScanContext,
  classifier: ThreatClassifier,
  batchSize: number,
  signal?: AbortSignal,
): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < context.sentences.length; start += batchSize) {
    if (signal?.aborted === true) {
      throw signal.reason;
    }
    const batch: string[] = [];
    const end = Math.min(start + batchSize, context.sentences.length);
    for (let index = start; index < end; index++) {
      batch.push(context.sentenceText(index));
    }
    for (const score of await classifyBatch(classifier, batch, signal)) {
      scores.push(score);
    }
  }
  return scores;
}

/**
 * Lists, for each sentence, the indexes of the prompt-injection findings
 * that lie inside it. Sentences are sorted by start and by end, so a walk
 * back from the last sentence that starts before a finding stops at the
 * first one that ends before the finding does.
 */
function findingsBySentence(
  sentences: readonly TextSpan[],
  findings: readonly ThreatFinding[],
): Map<number, number[]> {
  const inside = new Map<number, number[]>();
  findings.forEach((finding, at) => {
    if (finding.type !== "PROMPT_INJECTION") {
      return;
    }
    for (let index = sentenceAt(sentences, finding.start); index >= 0;) {
      const sentence = sentences[index];
      if (sentence === undefined || sentence.end < finding.end) {
        break;
      }
      if (sentence.start <= finding.start) {
        const list = inside.get(index) ?? [];
        list.push(at);
        inside.set(index, list);
      }
      index--;
    }
  });
  return inside;
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
  const inside = findingsBySentence(context.sentences, findings);
  context.sentences.forEach((sentence, index) => {
    const score = scores[index] ?? 0;
    const label = `Classifier "${classifier.name}" scored the sentence ${score.toFixed(2)}.`;
    const matched = inside.get(index) ?? [];
    for (const at of matched) {
      const finding = merged[at];
      if (finding !== undefined) {
        merged[at] = {
          ...finding,
          score: roundScore(1 - (1 - finding.score) * (1 - score)),
          reason: `${finding.reason} ${label}`,
        };
      }
    }
    if (matched.length === 0 && score > 0 && score >= minScore) {
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
