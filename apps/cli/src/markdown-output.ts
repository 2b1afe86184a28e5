import type {
  CompressResult,
  DocumentStats,
} from "@retrieval-free/core-engine";

import { splitByDocument } from "./document-parts.js";
import { formatCount } from "./numbers.js";
import { formatSummary } from "./summary.js";

/**
 * Length of the longest match of a global pattern, at least `floor`. A
 * loop, not `Math.max(...matches)`, which fails on hundreds of thousands.
 */
function longestMatch(text: string, pattern: RegExp, floor: number): number {
  let longest = floor;
  for (const match of text.matchAll(pattern)) {
    longest = Math.max(longest, match[0].length);
  }
  return longest;
}

/** Writes `text` as a Markdown code span that survives backticks inside it. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, " ");
  const longestRun = longestMatch(flat, /`+/g, 0);
  const fence = "`".repeat(longestRun + 1);
  const padding = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${padding}${flat}${padding}${fence}`;
}

/** Writes `text` as a fenced code block longer than any fence inside it. */
export function codeBlock(text: string, language: string): string {
  const longestRun = longestMatch(text, /`{3,}/g, 2);
  const fence = "`".repeat(longestRun + 1);
  const body = text.endsWith("\n") ? text : `${text}\n`;
  return `${fence}${language}\n${body}${fence}`;
}

function overview(result: CompressResult): string[] {
  const lines = [`- Result: ${formatSummary(result)}`];
  lines.push(`- Tokenizer: ${result.request.tokenizer}`);
  if (result.request.query !== undefined) {
    lines.push(`- Query: ${inlineCode(result.request.query)}`);
  }
  lines.push(`- Budget met: ${result.budgetMet ? "yes" : "no"}`);
  if (result.reason !== undefined) {
    lines.push(`- Note: ${result.reason}`);
  }
  return lines;
}

function documentSection(
  stats: DocumentStats,
  part: string | undefined,
): string[] {
  const before = formatCount(stats.originalTokens);
  const after = formatCount(stats.compressedTokens);
  const kept = `${formatCount(stats.keptUnits)} of ${formatCount(stats.units)} units kept`;
  const lines = [
    `## ${inlineCode(stats.id)}`,
    "",
    `${before} → ${after} tokens, ${kept}.`,
    "",
  ];
  if (part === undefined) {
    lines.push("Nothing of this document was kept.", "");
  } else {
    lines.push(codeBlock(part, stats.format), "");
  }
  return lines;
}

function spanTable(result: CompressResult): string[] {
  if (result.spans.length === 0) {
    return ["## Spans", "", "No text was kept.", ""];
  }
  const rows = result.spans.map(
    (span) =>
      `| ${inlineCode(span.documentId).replaceAll("|", "\\|")} | ${span.start} | ${span.end} |`,
  );
  return [
    "## Spans",
    "",
    "Offsets are UTF-16 code units into each source document; the end is exclusive.",
    "",
    "| Document | Start | End |",
    "| --- | ---: | ---: |",
    ...rows,
    "",
  ];
}

/**
 * Renders a compression as a Markdown report: an overview, a section per
 * document with its counts and compressed text, and a table of the spans.
 */
export function renderMarkdownReport(result: CompressResult): string {
  const parts = splitByDocument(result);
  const lines = ["# Compression report", "", ...overview(result), ""];
  if (parts === undefined) {
    // The text does not split by document, so it is shown once, whole.
    lines.push("## Compressed text", "", codeBlock(result.text, "text"), "");
  } else {
    for (const stats of result.documents) {
      lines.push(...documentSection(stats, parts.get(stats.id)));
    }
  }
  lines.push(...spanTable(result));
  return lines.join("\n");
}
