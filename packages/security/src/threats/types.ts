/** Kinds of hostile content that {@link scanThreats} reports. */
export const THREAT_TYPES = [
  "SCRIPT_INJECTION",
  "SQL_INJECTION",
  "COMMAND_INJECTION",
  "CODE_EXECUTION",
  "PROMPT_INJECTION",
] as const;

/** One kind of hostile content. */
export type ThreatType = (typeof THREAT_TYPES)[number];

/** Names of the built-in detectors, one per {@link ThreatType}. */
export const THREAT_DETECTORS = [
  "script-injection",
  "sql-injection",
  "command-injection",
  "code-execution",
  "prompt-injection",
] as const;

/** Name of one built-in detector. */
export type ThreatDetectorName = (typeof THREAT_DETECTORS)[number];

/**
 * The action advised for the scanned text: pass it on, pass it on and log
 * a warning, replace the findings with {@link maskThreats}, or reject it.
 */
export type ThreatRecommendation = "allow" | "warn" | "mask" | "block";

/**
 * Risk levels from which each recommendation applies; a risk below `warn`
 * is allowed. The levels must satisfy 0 ≤ warn ≤ mask ≤ block ≤ 1.
 */
export interface ThreatThresholds {
  /** @default 0.4 */
  readonly warn: number;
  /** @default 0.6 */
  readonly mask: number;
  /** @default 0.8 */
  readonly block: number;
}

/** The thresholds used where options leave them out. */
export const DEFAULT_THREAT_THRESHOLDS: ThreatThresholds = {
  warn: 0.4,
  mask: 0.6,
  block: 0.8,
};

/** One hostile span found in a text. */
export interface ThreatFinding {
  readonly type: ThreatType;
  /**
   * The variant: `direct` or `indirect` for prompt injection (indirect
   * means the text addresses an AI that processes a document, or refers
   * to that document), and the technique for the other kinds, such as
   * `union-select` or `event-handler`. Absent for classifier findings.
   */
  readonly subtype?: string;
  /**
   * Start offset in the original text, in UTF-16 code units. Prompt
   * injection covers the whole sentence and other kinds the construct. A
   * finding also covers the weaker findings of its type that overlapped
   * it and that it replaced, so masking it removes what they flagged.
   */
  readonly start: number;
  /** End offset in the original text (exclusive). */
  readonly end: number;
  /** The flagged text, equal to `text.slice(start, end)`. */
  readonly text: string;
  /**
   * The span, inside `start`–`end`, of the words or characters that
   * triggered the finding, located in the original text even when they
   * were disguised (for example with zero-width characters or leetspeak).
   */
  readonly match: { readonly start: number; readonly end: number };
  /** Confidence from 0 to 1, after context damping. */
  readonly score: number;
  /** One readable sentence that explains why the span was flagged. */
  readonly reason: string;
  /** Name of the detector or classifier that produced the finding. */
  readonly detector: string;
}

/**
 * Maximum number of findings that one scan reports. A text with more,
 * such as a payload repeated thousands of times, reports the first finding
 * of each type, then the highest scores. `risk` and `recommendation` still
 * count every finding.
 */
export const MAX_REPORTED_FINDINGS = 1000;

/** The result of {@link scanThreats}. */
export interface ThreatScanResult {
  /**
   * Risk of the whole text from 0 to 1, zero when there is no finding. The
   * highest finding score of each type is taken. The highest of those
   * counts in full, and every other type that scores 0.5 or more adds to
   * it at half weight: `1 - (1 - r1) * Π sqrt(1 - ri)`.
   */
  readonly risk: number;
  /**
   * Findings sorted by start, then by end and by type, at most
   * {@link MAX_REPORTED_FINDINGS} of them.
   */
  readonly findings: readonly ThreatFinding[];
  /**
   * How many findings were left out of `findings` because there were more
   * than {@link MAX_REPORTED_FINDINGS}; they still count in `risk`. Masking
   * leaves their spans in the text, so reject a text with omitted findings
   * instead of masking it.
   */
  readonly omittedFindings: number;
  readonly recommendation: ThreatRecommendation;
}

/**
 * Scores that a {@link ThreatClassifier} returns: an array or a typed
 * array such as the Float32Array of a model's output.
 */
export type ThreatClassifierScores =
  readonly number[] | Float32Array | Float64Array;

/** Options that the scan passes to {@link ThreatClassifier.classify}. */
export interface ThreatClassifyOptions {
  /** The scan's `signal`, so a classifier can stop its work on abort. */
  readonly signal?: AbortSignal;
}

/**
 * A model that scores sentences for prompt injection, such as an ONNX
 * classifier run by the caller. `classify` returns one score from 0 to 1
 * per sentence, in the order given, and gets a copy of the sentences.
 */
export interface ThreatClassifier {
  /** Short stable name, reported as the `detector` of its findings. */
  readonly name: string;
  classify(
    sentences: string[],
    options?: ThreatClassifyOptions,
  ): Promise<ThreatClassifierScores> | ThreatClassifierScores;
}
