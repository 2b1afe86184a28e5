import { expand } from "@retrieval-free/core-engine";
import type {
  MegaTokenLevel,
  MegaTokenSet,
  RoutedToken,
  SourceSpan,
} from "@retrieval-free/core-engine";

import { formatCount, formatScore } from "./numbers.js";

/** Output formats of `rfcc route`. */
export const ROUTE_FORMATS = ["text", "json"] as const;

/** One of the output formats in {@link ROUTE_FORMATS}. */
export type RouteFormat = (typeof ROUTE_FORMATS)[number];

/** One routed mega-token as printed by `rfcc route --format json`. */
export interface RouteEntry {
  /** Position in the ranking, from 1. */
  readonly rank: number;
  /** Attention weight. The weights of one level sum to 1. */
  readonly weight: number;
  /** Cosine between the query and the token, or its salience for an empty query. */
  readonly score: number;
  readonly level: MegaTokenLevel;
  readonly documentId: string;
  /** Source ranges in UTF-16 code units, each end exclusive. */
  readonly spans: readonly SourceSpan[];
  /** Tokens of the covered text with the set's tokenizer. */
  readonly tokens: number;
  /** The exact source text of the spans. */
  readonly text: string;
}

/** Converts routed tokens into entries with their ranks and source text. */
export function toRouteEntries(
  top: readonly RoutedToken[],
  set: MegaTokenSet,
): RouteEntry[] {
  return top.map(({ token, weight, score }, index) => ({
    rank: index + 1,
    weight,
    score,
    level: token.level,
    documentId: token.documentId,
    spans: token.spans,
    tokens: token.tokens,
    text: expand(token, set),
  }));
}

function formatSpans(spans: readonly SourceSpan[]): string {
  const ranges = spans.map((span) => `${span.start}–${span.end}`);
  return `${spans.length === 1 ? "characters" : "ranges"} ${ranges.join(", ")}`;
}

function formatHeading(entry: RouteEntry): string {
  const noun = entry.tokens === 1 ? "token" : "tokens";
  const size = `${entry.level}, ${formatCount(entry.tokens)} ${noun}`;
  const place = `${entry.documentId}, ${formatSpans(entry.spans)}`;
  const weight = `weight ${formatScore(entry.weight)}, score ${formatScore(entry.score)}`;
  return `${entry.rank}. ${place} (${size}), ${weight}`;
}

/**
 * Renders entries for a reader: a heading line per entry, then its exact
 * source text, with a blank line between entries.
 */
export function renderRouteText(entries: readonly RouteEntry[]): string {
  return entries
    .map((entry) => {
      const body = entry.text.endsWith("\n") ? entry.text : `${entry.text}\n`;
      return `${formatHeading(entry)}\n${body}`;
    })
    .join("\n");
}
