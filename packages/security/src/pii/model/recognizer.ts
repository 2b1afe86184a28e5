import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import type { PiiFinding, PiiType, Recognizer } from "../types.js";
import { classifyTokens } from "./inference.js";
import type { ClassifierSetup } from "./inference.js";
import { decodeEntities, labelWord } from "./labels.js";
import type { EntitySpan, NerAggregation, TokenLabel } from "./labels.js";
import { planWindows } from "./windows.js";
import type { TokenizedText, WordPieceTokenizer } from "./wordpiece.js";

/**
 * A {@link Recognizer} that runs a token-classification model (NER) to
 * find names and places. The model runs asynchronously, so
 * {@link Recognizer.find} only returns results of texts passed to
 * {@link NerRecognizer.prepare} first. `detectPiiWithModel` does both.
 */
export interface NerRecognizer extends Recognizer {
  /** Label of each model output, from config.json's `id2label`. */
  readonly labels: readonly string[];
  /** Tokens per model call, special tokens included. */
  readonly maxLength: number;
  /**
   * Runs the model on a text and returns its entities as findings, whole
   * words with exact offsets, scored by the mean probability of their
   * words' labels.
   * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string
   * or the recognizer is closed, `MODEL_INTEGRITY_FAILED` when the model
   * fails.
   */
  recognize(text: string): Promise<PiiFinding[]>;
  /**
   * Runs the model on a text and keeps the findings for
   * {@link Recognizer.find}, which `detectPii` and `maskPii` call.
   * The findings of the last 16 prepared texts are kept.
   */
  prepare(text: string): Promise<void>;
  /**
   * Returns the findings of a prepared text.
   * @throws {SecurityError} `INVALID_INPUT` when the text was not
   * prepared, so a missed call never passes as a text without names.
   */
  find(text: string): PiiFinding[];
  /** Releases the ONNX Runtime session. Later calls raise `INVALID_INPUT`. */
  close(): Promise<void>;
}

/** Everything a {@link NerRecognizer} needs, loaded and checked. */
export interface NerRecognizerInit {
  readonly name: string;
  readonly types: readonly PiiType[];
  readonly labels: readonly string[];
  readonly parsedLabels: readonly TokenLabel[];
  readonly entityTypes: ReadonlyMap<string, PiiType>;
  readonly tokenizer: WordPieceTokenizer;
  readonly setup: ClassifierSetup;
  readonly maxLength: number;
  /** Text tokens per window. */
  readonly room: number;
  readonly windowOverlap: number;
  readonly aggregation: NerAggregation;
  readonly minScore: number;
}

/** Prepared texts whose findings {@link NerRecognizer.find} keeps. */
const MAX_PREPARED_TEXTS = 16;

class ModelRecognizer implements NerRecognizer {
  readonly name: string;
  readonly types: readonly PiiType[];
  readonly labels: readonly string[];
  readonly maxLength: number;
  private readonly prepared = new Map<string, readonly PiiFinding[]>();
  private closed = false;

  constructor(private readonly init: NerRecognizerInit) {
    this.name = init.name;
    this.types = init.types;
    this.labels = init.labels;
    this.maxLength = init.maxLength;
  }

  async recognize(text: string): Promise<PiiFinding[]> {
    const input: unknown = text;
    if (typeof input !== "string") {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Recognizer "${this.name}" takes the text as a string (received ${describeValue(input)}).`,
      );
    }
    this.checkOpen();
    const { tokenizer, setup, room, windowOverlap } = this.init;
    const tokenized = tokenizer.tokenize(text);
    if (tokenized.pieces.length === 0) {
      return [];
    }
    const windows = planWindows(
      tokenized.pieces.map((piece) => piece.word),
      room,
      windowOverlap,
    );
    const probabilities = await classifyTokens(
      setup,
      tokenized.pieces.map((piece) => piece.id),
      windows,
    );
    const words = tokenized.words.map((word) =>
      labelWord(word, probabilities, setup.labelCount, this.init.aggregation),
    );
    const spans = decodeEntities(words, this.init.parsedLabels);
    return this.toFindings(text, tokenized, spans);
  }

  async prepare(text: string): Promise<void> {
    const findings = await this.recognize(text);
    this.prepared.delete(text);
    this.prepared.set(text, findings);
    for (const oldest of this.prepared.keys()) {
      if (this.prepared.size <= MAX_PREPARED_TEXTS) {
        break;
      }
      this.prepared.delete(oldest);
    }
  }

  find(text: string): PiiFinding[] {
    this.checkOpen();
    const findings = this.prepared.get(text);
    if (findings === undefined) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Recognizer "${this.name}" has no model results for this text; call await recognizer.prepare(text) before detectPii or maskPii, or use detectPiiWithModel.`,
      );
    }
    return [...findings];
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.prepared.clear();
      await this.init.setup.session.release();
    }
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `Recognizer "${this.name}" is closed; load the model again with loadNerRecognizer.`,
      );
    }
  }

  /** Turns entity spans into findings of the mapped kinds above minScore. */
  private toFindings(
    text: string,
    tokenized: TokenizedText,
    spans: readonly EntitySpan[],
  ): PiiFinding[] {
    const findings: PiiFinding[] = [];
    for (const span of spans) {
      const type = this.init.entityTypes.get(span.entity);
      const first = tokenized.words[span.firstWord];
      const last = tokenized.words[span.lastWord];
      if (
        type === undefined ||
        first === undefined ||
        last === undefined ||
        span.score < this.init.minScore
      ) {
        continue;
      }
      findings.push({
        type,
        start: first.start,
        end: last.end,
        text: text.slice(first.start, last.end),
        score: span.score,
        recognizer: this.name,
        validation: {
          entity: span.entity,
          words: span.lastWord - span.firstWord + 1,
        },
      });
    }
    return findings;
  }
}

/** Creates a {@link NerRecognizer} from a loaded model and tokenizer. */
export function createNerRecognizer(init: NerRecognizerInit): NerRecognizer {
  return new ModelRecognizer(init);
}
