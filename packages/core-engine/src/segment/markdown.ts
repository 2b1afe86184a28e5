import type { Nodes, Root, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

import type { BlockKind, CorpusBuilder } from "./corpus.js";
import { MAX_UNIT_TOKENS, WINDOW_TOKENS } from "./limits.js";
import { findUncuttableRanges, mergeRanges } from "./protected.js";
import type { Range } from "./protected.js";
import { splitSentences, trimRange } from "./sentences.js";
import { pushWindows } from "./window.js";

// Inline elements that sentence splitting and windowing never cut.
const ATOMIC_INLINE_TYPES = new Set([
  "link",
  "linkReference",
  "image",
  "imageReference",
  "inlineCode",
  "inlineMath",
  "footnoteReference",
  "html",
]);

interface Context {
  readonly builder: CorpusBuilder;
  readonly text: string;
  readonly uncuttable: readonly Range[];
}

function rangeOf(node: Nodes): Range | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined || end <= start) {
    return undefined;
  }
  return { start, end };
}

function collectAtomicInline(node: Nodes, out: Range[]): void {
  if (ATOMIC_INLINE_TYPES.has(node.type)) {
    const range = rangeOf(node);
    if (range !== undefined) {
      out.push(range);
    }
    return;
  }
  if ("children" in node) {
    for (const child of node.children) {
      collectAtomicInline(child, out);
    }
  }
}

/** Parses Markdown (CommonMark with GitHub extensions) into a syntax tree. */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
}

/**
 * Cuts a Markdown document into blocks, sections and units: headings open
 * sections, code blocks and table rows are atomic units, and paragraphs,
 * list items and quotes are cut into sentences.
 */
export function segmentMarkdown(builder: CorpusBuilder, text: string): void {
  // micromark drops a leading byte order mark, which would shift every
  // offset by one; a space of the same length keeps them on the text.
  const tree = parseMarkdown(
    text.startsWith("\uFEFF") ? ` ${text.slice(1)}` : text,
  );
  const inline: Range[] = [];
  collectAtomicInline(tree, inline);
  const uncuttable = mergeRanges([...findUncuttableRanges(text), ...inline]);
  const context: Context = { builder, text, uncuttable };
  visitChildren(context, tree.children, "paragraph", undefined);
}

function visitChildren(
  context: Context,
  children: readonly RootContent[],
  kind: BlockKind,
  prefixStart: number | undefined,
): void {
  let prefix = prefixStart;
  for (const child of children) {
    visitBlock(context, child, kind, prefix);
    prefix = undefined;
  }
}

function visitBlock(
  context: Context,
  node: RootContent,
  kind: BlockKind,
  prefixStart: number | undefined,
): void {
  const range = rangeOf(node);
  if (range === undefined) {
    return;
  }
  const start = prefixStart ?? range.start;
  switch (node.type) {
    case "heading":
      context.builder.beginSection(node.depth);
      addAtomic(context, "heading", start, range.end, "heading");
      return;
    case "paragraph":
      addSentences(context, kind, start, range.end);
      return;
    case "code":
      addAtomic(context, "code", start, range.end, "code");
      return;
    case "table":
      addTable(context, node, start, range.end);
      return;
    case "list":
      for (const item of node.children) {
        const itemRange = rangeOf(item);
        visitChildren(context, item.children, "list", itemRange?.start);
      }
      return;
    case "blockquote":
    case "footnoteDefinition":
      visitChildren(context, node.children, "quote", start);
      return;
    case "thematicBreak":
      return;
    default:
      addAtomic(context, "other", start, range.end, "other");
  }
}

function addAtomic(
  context: Context,
  blockKind: BlockKind,
  start: number,
  end: number,
  unitKind: "heading" | "code" | "other",
): void {
  const range = trimRange(context.text, start, end);
  if (range === undefined) {
    return;
  }
  context.builder.beginBlock(blockKind, range.start, range.end);
  context.builder.addUnit(unitKind, range.start, range.end);
}

function addSentences(
  context: Context,
  kind: BlockKind,
  start: number,
  end: number,
): void {
  const { builder, text, uncuttable } = context;
  const sentences: Range[] = [];
  splitSentences(text, start, end, uncuttable, sentences);
  if (sentences.length === 0) {
    return;
  }
  // The first sentence takes the list marker or quote marker before it.
  const first = sentences[0] as Range;
  sentences[0] = { start, end: first.end };
  const windows: Range[] = [];
  for (const sentence of sentences) {
    pushWindows(
      text,
      sentence,
      uncuttable,
      MAX_UNIT_TOKENS,
      WINDOW_TOKENS,
      windows,
    );
  }
  builder.beginBlock(kind, start, end);
  for (const window of windows) {
    builder.addUnit("sentence", window.start, window.end);
  }
}

// A table is one block: the header row with the delimiter row below it is
// one unit, and every body row is a unit that requires the header.
function addTable(
  context: Context,
  table: Table,
  start: number,
  end: number,
): void {
  const { builder, text } = context;
  const rows = table.children;
  const secondRow = rows[1] === undefined ? undefined : rangeOf(rows[1]);
  const header = trimRange(text, start, secondRow?.start ?? end);
  if (header === undefined) {
    return;
  }
  builder.beginBlock("table", start, end);
  const headerUnit = builder.addUnit("table-header", header.start, header.end);
  for (const row of rows.slice(1)) {
    const rowRange = rangeOf(row);
    const trimmed =
      rowRange === undefined
        ? undefined
        : trimRange(text, rowRange.start, rowRange.end);
    if (trimmed !== undefined) {
      builder.addUnit("table-row", trimmed.start, trimmed.end, headerUnit);
    }
  }
}
