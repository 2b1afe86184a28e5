import { dataFile } from "./data-path.js";
import { readJsonLines } from "./jsonl.js";

/** One question-answering item in the uniform schema of the data folder. */
export interface QaItem {
  readonly id: string;
  readonly question: string;
  /** Paragraphs of the context, in source order. */
  readonly paragraphs: readonly string[];
  /** Gold answers; any one of them counts. Empty when unanswerable. */
  readonly answers: readonly string[];
  /** Supporting-fact sentences; empty where the set has none. */
  readonly evidenceSentences: readonly string[];
  /** Indices of the paragraphs that hold the evidence. */
  readonly evidenceParagraphs: readonly number[];
  /** SQuAD v2.0 only: whether the context contains no answer. */
  readonly isImpossible: boolean;
}

/** Names of the question-answering sets of the quality benchmark. */
export type QaSetName = "squad11" | "squad20" | "hotpot";

/** A question-answering set and where it comes from. */
export interface QaSetDefinition {
  readonly name: QaSetName;
  /** Heading used in tables and charts. */
  readonly label: string;
  /** Path relative to the data folder. */
  readonly file: string;
  /** Whether the set has sentence-level supporting facts. */
  readonly hasEvidenceSentences: boolean;
}

/** The sets in run order. */
export const QA_SETS: readonly QaSetDefinition[] = [
  {
    name: "squad11",
    label: "SQuAD v1.1 dev sample",
    file: "squad-dev/items_v1.1_sample.jsonl",
    hasEvidenceSentences: false,
  },
  {
    name: "squad20",
    label: "SQuAD v2.0 dev sample, answerable",
    file: "squad-dev/items_v2.0_sample.jsonl",
    hasEvidenceSentences: false,
  },
  {
    name: "hotpot",
    label: "HotpotQA dev distractor sample",
    file: "hotpotqa-dev-sample100/items.jsonl",
    hasEvidenceSentences: true,
  },
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(row: Record<string, unknown>, name: string): string {
  const value = row[name];
  if (typeof value !== "string") {
    throw new TypeError(`field "${name}" must be a string`);
  }
  return value;
}

function stringListField(row: Record<string, unknown>, name: string): string[] {
  const value = row[name];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TypeError(`field "${name}" must be a list of strings`);
  }
  return value;
}

function evidenceSentences(row: Record<string, unknown>): string[] {
  const evidence = row.evidence;
  if (!isRecord(evidence) || evidence.sentences === undefined) {
    return [];
  }
  if (!Array.isArray(evidence.sentences)) {
    throw new TypeError(`field "evidence.sentences" must be a list`);
  }
  return evidence.sentences.map((sentence: unknown) => {
    if (!isRecord(sentence) || typeof sentence.text !== "string") {
      throw new TypeError(`each evidence sentence needs a string "text"`);
    }
    return sentence.text;
  });
}

function evidenceParagraphs(row: Record<string, unknown>): number[] {
  const evidence = row.evidence;
  const indices = isRecord(evidence) ? evidence.paragraph_indices : undefined;
  return Array.isArray(indices)
    ? indices.filter((index): index is number => Number.isInteger(index))
    : [];
}

/** Checks one parsed JSON line and converts it to a {@link QaItem}. */
export function toQaItem(value: unknown): QaItem {
  if (!isRecord(value)) {
    throw new TypeError("the line is not a JSON object");
  }
  return {
    id: stringField(value, "id"),
    question: stringField(value, "question"),
    paragraphs: stringListField(value, "paragraphs"),
    answers: stringListField(value, "answers"),
    evidenceSentences: evidenceSentences(value),
    evidenceParagraphs: evidenceParagraphs(value),
    isImpossible: value.is_impossible === true,
  };
}

/**
 * Loads a set's items. Unanswerable SQuAD v2.0 items are left out, because
 * answer retention is undefined for them.
 */
export async function loadQaSet(
  dataDirectory: string,
  set: QaSetDefinition,
): Promise<QaItem[]> {
  const items = await readJsonLines(
    dataFile(dataDirectory, set.file),
    toQaItem,
  );
  return items.filter((item) => !item.isImpossible);
}

/** Returns the context given to every method: paragraphs joined by a blank line. */
export function contextOf(item: QaItem): string {
  return item.paragraphs.join("\n\n");
}
