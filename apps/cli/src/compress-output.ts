import type { CompressResult } from "@retrieval-free/core-engine";

import { stringifyJson, toJsonResult } from "./json-output.js";
import { renderMarkdownReport } from "./markdown-output.js";

/** Output formats of `rfcc compress`. */
export const COMPRESS_FORMATS = ["text", "json", "markdown"] as const;

/** One of the output formats in {@link COMPRESS_FORMATS}. */
export type CompressFormat = (typeof COMPRESS_FORMATS)[number];

/** Options of {@link renderCompressOutput}. */
export interface CompressOutputOptions {
  readonly format: CompressFormat;
  /** Whether the JSON output includes mega-token vectors. */
  readonly vectors: boolean;
}

/** Renders a compression result for standard output. */
export function renderCompressOutput(
  result: CompressResult,
  options: CompressOutputOptions,
): string {
  switch (options.format) {
    case "text":
      return `${result.text}\n`;
    case "json":
      return stringifyJson(toJsonResult(result, { vectors: options.vectors }));
    case "markdown":
      return renderMarkdownReport(result);
  }
}
