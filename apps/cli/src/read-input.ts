import type {
  DocumentFormat,
  InputDocument,
} from "@retrieval-free/core-engine";
import { readDocumentFile } from "@retrieval-free/core-engine/node";

import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { readError } from "./file-errors.js";
import { throwIfInterrupted } from "./interrupt.js";

/** The argument that selects standard input, which is also its document id. */
export const STDIN_ID = "-";

/** Standard input as {@link readDocuments} reads it. */
export interface InputStream extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean;
  destroy(): void;
}

/** Options of {@link readDocuments}. */
export interface ReadDocumentsOptions {
  /** Format of every document, or undefined to detect it per document. */
  readonly format: DocumentFormat | undefined;
  readonly stdin: InputStream;
  readonly signal: AbortSignal;
}

/**
 * Reads standard input to its end as UTF-8, replacing invalid sequences
 * with U+FFFD as `readDocumentFile` does for files.
 */
export async function readStream(
  stream: InputStream,
  signal: AbortSignal,
): Promise<string> {
  const abort = (): void => {
    stream.destroy();
  };
  signal.addEventListener("abort", abort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  } catch (error) {
    throwIfInterrupted(signal);
    throw readError(STDIN_ID, error);
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

async function readOne(
  path: string,
  options: ReadDocumentsOptions,
): Promise<InputDocument> {
  const { format } = options;
  if (path !== STDIN_ID) {
    try {
      return await readDocumentFile(path, format);
    } catch (error) {
      throw readError(path, error);
    }
  }
  const text = await readStream(options.stdin, options.signal);
  return format === undefined
    ? { id: STDIN_ID, text }
    : { id: STDIN_ID, text, format };
}

/**
 * Reads each path as a document whose id is the path as given, and `-`
 * as standard input. Every unreadable file is reported in one error.
 */
export async function readDocuments(
  paths: readonly string[],
  options: ReadDocumentsOptions,
): Promise<InputDocument[]> {
  if (paths.length === 0 && options.stdin.isTTY === true) {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      "no input: pass one or more files, or pipe text to standard input (use - to type it).",
    );
  }
  if (paths.filter((path) => path === STDIN_ID).length > 1) {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      "standard input (-) can be read only once, so pass - at most once.",
    );
  }
  const requested = paths.length === 0 ? [STDIN_ID] : paths;
  const outcomes = await Promise.allSettled(
    requested.map((path) => readOne(path, options)),
  );
  throwIfInterrupted(options.signal);
  const failures = outcomes.flatMap((outcome) =>
    outcome.status === "rejected" ? [outcome.reason as unknown] : [],
  );
  if (failures.length > 0) {
    throw combineReadErrors(failures);
  }
  return outcomes.map(
    (outcome) => (outcome as PromiseFulfilledResult<InputDocument>).value,
  );
}

// Every failure of readOne is an input error, so one error with a line per
// file reports them all.
function combineReadErrors(failures: readonly unknown[]): CliError {
  const [first, ...others] = failures.map((error) =>
    error instanceof Error ? error.message : String(error),
  );
  return new CliError(ExitCode.INPUT_ERROR, first ?? "cannot read the input.", {
    cause: failures[0],
    details: others,
  });
}
