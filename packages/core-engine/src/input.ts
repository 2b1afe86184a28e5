import type { ValidationIssue } from "./errors.js";
import { CoreEngineError, CoreEngineErrorCode } from "./errors.js";
import { describeValue } from "./options.js";
import type { SegmentableDocument } from "./segment/index.js";
import type { CompressInput, DocumentFormat, InputDocument } from "./types.js";

/** Id given to the document when the input is a plain string. */
export const STRING_INPUT_ID = "0";

const FORMATS: readonly DocumentFormat[] = ["text", "markdown"];

// Markdown signals, looked for in the first 64 KiB of a document.
const STRONG_MARKDOWN = [
  /^#{1,6}[ \t]+\S/m,
  /^(?:```|~~~)/m,
  /^[ \t]*\|?[^\n|]*\|[^\n]*\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|/m,
];
// List markers are left out: plain text uses them as much as Markdown.
const WEAK_MARKDOWN = [
  /\[[^\]\n]+\]\([^)\s]+\)/,
  /\*\*[^\s*][^*\n]*[^\s*]\*\*|__[^\s_][^_\n]*[^\s_]__/,
  /^>[ \t]?\S/m,
  /`[^`\n']+`/,
];
const DETECTION_WINDOW = 65_536;

/**
 * Guesses whether a text is Markdown: a heading, a code fence or a table
 * decides it, otherwise two kinds of inline syntax (links, bold, quotes, inline code)
 * are needed.
 */
export function detectFormat(text: string): DocumentFormat {
  const sample =
    text.length > DETECTION_WINDOW ? text.slice(0, DETECTION_WINDOW) : text;
  if (STRONG_MARKDOWN.some((pattern) => pattern.test(sample))) {
    return "markdown";
  }
  const weak = WEAK_MARKDOWN.filter((pattern) => pattern.test(sample)).length;
  return weak >= 2 ? "markdown" : "text";
}

function documentIssues(value: unknown, index: number): ValidationIssue[] {
  if (typeof value !== "object" || value === null) {
    return [
      {
        path: String(index),
        value,
        message: `Document ${index} must be an object { id, text, format? } (received ${describeValue(value)}).`,
      },
    ];
  }
  const record = value as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (typeof record.id !== "string" || record.id.length === 0) {
    issues.push({
      path: `${index}.id`,
      value: record.id,
      message: `Document ${index} needs a non-empty string id (received ${describeValue(record.id)}).`,
    });
  }
  if (typeof record.text !== "string") {
    issues.push({
      path: `${index}.text`,
      value: record.text,
      message: `Document ${index} needs its text as a string (received ${describeValue(record.text)}).`,
    });
  }
  if (
    record.format !== undefined &&
    !FORMATS.includes(record.format as DocumentFormat)
  ) {
    issues.push({
      path: `${index}.format`,
      value: record.format,
      message: `Document ${index} has format ${describeValue(record.format)}; use "text" or "markdown", or leave it out to detect it.`,
    });
  }
  return issues;
}

function duplicateIdIssues(documents: readonly unknown[]): ValidationIssue[] {
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  documents.forEach((document, index) => {
    const id = (document as { id?: unknown } | null)?.id;
    if (typeof id !== "string") {
      return;
    }
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
      return;
    }
    issues.push({
      path: `${index}.id`,
      value: id,
      message: `Documents ${first} and ${index} share the id ${describeValue(id)}; give every document its own id.`,
    });
  });
  return issues;
}

/**
 * Validates the input of `compress` and returns its documents with their
 * formats resolved. Every problem is reported at once.
 */
export function normalizeInput(input: CompressInput): SegmentableDocument[] {
  if (typeof input === "string") {
    return [{ id: STRING_INPUT_ID, text: input, format: detectFormat(input) }];
  }
  if (!Array.isArray(input)) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_INPUT,
      `The input must be a string or an array of { id, text, format? } documents (received ${describeValue(input)}).`,
      {
        issues: [
          {
            path: "",
            value: input,
            message: "The input must be a string or an array of documents.",
          },
        ],
      },
    );
  }
  // A plain loop, because flatMap and forEach skip the holes of a sparse array.
  const documents: readonly unknown[] = input;
  const issues: ValidationIssue[] = [];
  for (let index = 0; index < documents.length; index++) {
    issues.push(...documentIssues(documents[index], index));
  }
  issues.push(...duplicateIdIssues(documents));
  if (issues.length > 0) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_INPUT,
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in the input documents: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  const valid = input as readonly InputDocument[];
  return valid.map((document) => ({
    id: document.id,
    text: document.text,
    format: document.format ?? detectFormat(document.text),
  }));
}
