import { AllowedSpans } from "../allow-list.js";
import { contextDamping } from "../context.js";
import type { MappedText, TextSpan } from "../normalize/mapped-text.js";
import { joinShellWords } from "../normalize/code-syntax.js";
import { codeView, proseView } from "../normalize/views.js";
import { sentenceAt } from "../segment.js";
import type {
  ThreatDetectorName,
  ThreatFinding,
  ThreatType,
} from "../types.js";

/**
 * The input of one scan as detectors see it: the original text, its
 * sentences, the occurrences of allowed phrases, and normalized views of
 * each sentence built on first use.
 */
export class ScanContext {
  readonly text: string;
  readonly sentences: readonly TextSpan[];
  /** Occurrences of the `allow` option's phrases in the text. */
  readonly allowed: AllowedSpans;
  readonly #prose = new Map<number, MappedText>();
  readonly #code = new Map<number, MappedText>();
  readonly #shell = new Map<number, MappedText>();

  constructor(
    text: string,
    sentences: readonly TextSpan[],
    allowed: AllowedSpans = new AllowedSpans([]),
  ) {
    this.text = text;
    this.sentences = sentences;
    this.allowed = allowed;
  }

  /** Returns the original text of sentence `index`. */
  sentenceText(index: number): string {
    const sentence = this.sentences[index];
    return sentence === undefined
      ? ""
      : this.text.slice(sentence.start, sentence.end);
  }

  /** Returns the prose view of sentence `index`, built on first use. */
  prose(index: number): MappedText {
    let view = this.#prose.get(index);
    if (view === undefined) {
      view = proseView(this.sentenceText(index), this.sentences[index]?.start);
      this.#prose.set(index, view);
    }
    return view;
  }

  /**
   * Returns the code view of sentence `index` as a shell reads it, with
   * quotes and backslashes inside words removed and `${IFS}` read as a
   * space. Without those it is the code view itself.
   */
  shell(index: number): MappedText {
    let view = this.#shell.get(index);
    if (view === undefined) {
      view = joinShellWords(this.code(index));
      this.#shell.set(index, view);
    }
    return view;
  }

  /** Returns the code view of sentence `index`, built on first use. */
  code(index: number): MappedText {
    let view = this.#code.get(index);
    if (view === undefined) {
      view = codeView(this.sentenceText(index), this.sentences[index]?.start);
      this.#code.set(index, view);
    }
    return view;
  }

  /** Returns the sentence that contains `offset`, else the whole text. */
  sentenceAround(offset: number): TextSpan {
    const index = sentenceAt(this.sentences, offset);
    const sentence = this.sentences[index];
    return sentence !== undefined && offset < sentence.end
      ? sentence
      : { start: 0, end: this.text.length };
  }
}

/** Finds one kind of threat in a scan's input. */
export interface Detector {
  readonly name: ThreatDetectorName;
  detect(context: ScanContext): ThreatFinding[];
}

/** A finding as a detector builds it, before context damping. */
export interface FindingDraft {
  readonly type: ThreatType;
  readonly subtype?: string;
  readonly detector: string;
  /** The flagged span in the original text. */
  readonly span: TextSpan;
  /** The triggering span in the original text, inside `span`. */
  readonly match: TextSpan;
  /**
   * Whether quotation marks around the match lower the score, as they do
   * for prose; quotes in code are part of the payload.
   * @default false
   */
  readonly readQuotes?: boolean;
  readonly score: number;
  readonly reason: string;
}

/**
 * Turns a draft into a finding, lowering the score where the match reads
 * as a quoted example or a discussion of attacks.
 */
export function toFinding(
  context: ScanContext,
  draft: FindingDraft,
): ThreatFinding {
  const sentence = context.sentenceAround(draft.match.start);
  const damping = contextDamping(
    context.text,
    sentence,
    draft.match,
    draft.readQuotes ?? false,
  );
  const reason =
    damping.note === undefined
      ? draft.reason
      : `${draft.reason} ${damping.note}`;
  return {
    type: draft.type,
    ...(draft.subtype === undefined ? {} : { subtype: draft.subtype }),
    start: draft.span.start,
    end: draft.span.end,
    text: context.text.slice(draft.span.start, draft.span.end),
    match: { start: draft.match.start, end: draft.match.end },
    score: roundScore(draft.score * damping.factor),
    reason,
    detector: draft.detector,
  };
}

/** Rounds a score to three decimals, so results compare stably. */
export function roundScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}
