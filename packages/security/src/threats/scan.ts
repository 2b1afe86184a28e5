import { allowedSpans, dropAllowed } from "./allow-list.js";
import { checkText } from "./check-text.js";
import { classifySentences, mergeClassifierScores } from "./classifier.js";
import { codeExecutionDetector } from "./detectors/code.js";
import { commandInjectionDetector } from "./detectors/command.js";
import { ScanContext } from "./detectors/detector.js";
import type { Detector } from "./detectors/detector.js";
import { promptInjectionDetector } from "./detectors/prompt/prompt.js";
import { scriptInjectionDetector } from "./detectors/script/script.js";
import { sqlInjectionDetector } from "./detectors/sql.js";
import { checkScanOptions } from "./options.js";
import type {
  ResolvedScanOptions,
  ScanThreatsAsyncOptions,
  ScanThreatsOptions,
} from "./options.js";
import {
  combineRisk,
  recommend,
  resolveOverlaps,
  selectReported,
} from "./risk.js";
import { splitSentences } from "./segment.js";
import { MAX_REPORTED_FINDINGS } from "./types.js";
import type { ThreatFinding, ThreatScanResult } from "./types.js";

const DETECTORS: readonly Detector[] = [
  scriptInjectionDetector,
  sqlInjectionDetector,
  commandInjectionDetector,
  codeExecutionDetector,
  promptInjectionDetector,
];

function contextOf(text: string, options: ResolvedScanOptions): ScanContext {
  return new ScanContext(
    text,
    splitSentences(text),
    allowedSpans(text, options.allow),
  );
}

function runDetectors(
  context: ScanContext,
  options: ResolvedScanOptions,
): ThreatFinding[] {
  const found: ThreatFinding[] = [];
  for (const detector of DETECTORS) {
    if (options.detectors.has(detector.name)) {
      // A loop, not push(...list): a long list would overflow the stack.
      for (const finding of detector.detect(context)) {
        found.push(finding);
      }
    }
  }
  return found;
}

function finish(
  context: ScanContext,
  findings: readonly ThreatFinding[],
  options: ResolvedScanOptions,
): ThreatScanResult {
  const kept = resolveOverlaps(
    dropAllowed(findings, context.allowed),
    context.text,
  );
  const risk = combineRisk(kept);
  const reported = selectReported(kept, MAX_REPORTED_FINDINGS);
  return {
    risk,
    findings: reported,
    omittedFindings: kept.length - reported.length,
    recommendation: recommend(risk, options.thresholds),
  };
}

/**
 * Scans a text for script, SQL and command injection, code execution and
 * prompt injection with rules only, and returns the risk of the whole
 * text, the findings and a recommendation. The text is read in sentences
 * cut from bounded slices, so the work grows linearly with its length.
 * At most {@link MAX_REPORTED_FINDINGS} findings are reported; the risk
 * counts all of them.
 * Use {@link scanThreatsAsync} to add a classifier.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string,
 * `INVALID_OPTIONS` listing every invalid option, including a
 * `classifier`, which only {@link scanThreatsAsync} takes.
 */
export function scanThreats(
  text: string,
  options: ScanThreatsOptions = {},
): ThreatScanResult {
  checkText(text, "scanThreats");
  const resolved = checkScanOptions(options, false);
  const context = contextOf(text, resolved);
  return finish(context, runDetectors(context, resolved), resolved);
}

/**
 * Scans a text like {@link scanThreats} and, when a classifier is given,
 * scores every sentence with it and combines those scores with the rule
 * findings: a prompt-injection finding gets `1 - (1 - rule) * (1 -
 * classifier)`, and a sentence the classifier alone scores at the `warn`
 * threshold or above becomes a finding.
 *
 * The rules run synchronously; `signal` stops the wait for the
 * classifier. When it aborts, the promise rejects with `signal.reason`,
 * as `fetch` does, without waiting for a pending `classify` call. Pass
 * `AbortSignal.timeout(ms)` to bound a classifier that may never settle.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string or
 * the classifier fails or returns invalid scores, `INVALID_OPTIONS`
 * listing every invalid option.
 */
export async function scanThreatsAsync(
  text: string,
  options: ScanThreatsAsyncOptions = {},
): Promise<ThreatScanResult> {
  checkText(text, "scanThreatsAsync");
  const resolved = checkScanOptions(options, true);
  if (resolved.signal?.aborted === true) {
    throw resolved.signal.reason;
  }
  const context = contextOf(text, resolved);
  let findings = runDetectors(context, resolved);
  if (resolved.classifier !== undefined && context.sentences.length > 0) {
    const scores = await classifySentences(
      context,
      resolved.classifier,
      resolved.classifierBatchSize,
      resolved.signal,
    );
    findings = mergeClassifierScores(
      context,
      findings,
      scores,
      resolved.classifier,
      resolved.thresholds.warn,
    );
  }
  return finish(context, findings, resolved);
}
