import { compress, route } from "@retrieval-free/core-engine";
import type { Encoder } from "@retrieval-free/core-engine";

import { renderTable } from "./markdown.js";
import { contextOf, loadQaSet, QA_SETS } from "./qa-items.js";
import type { QaItem } from "./qa-items.js";

/** Numbers of routed segments whose recall is measured. */
export const ROUTING_KS: readonly number[] = [1, 3, 5];

/** Routing recall of one encoder on HotpotQA. */
export interface RoutingRecall {
  readonly encoder: string;
  readonly encoderId: string;
  readonly items: number;
  /** Mean share of evidence paragraphs that the top k segments touch, by k. */
  readonly recallAtK: Readonly<Record<string, number>>;
}

function paragraphRanges(item: QaItem): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  for (const paragraph of item.paragraphs) {
    ranges.push({ start, end: start + paragraph.length });
    start += paragraph.length + 2;
  }
  return ranges;
}

/**
 * Builds the mega-tokens of each HotpotQA context with an encoder, routes
 * the question at the segment level, and measures which share of the
 * evidence paragraphs the top k segments touch, for k = 1, 3 and 5.
 */
export async function measureRoutingRecall(
  dataDirectory: string,
  encoders: readonly { readonly label: string; readonly encoder: Encoder }[],
  limit: number | undefined,
): Promise<RoutingRecall[]> {
  const set = QA_SETS.find((entry) => entry.name === "hotpot");
  if (set === undefined) {
    return [];
  }
  const all = await loadQaSet(dataDirectory, set);
  const items = all
    .slice(0, limit ?? all.length)
    .filter((item) => item.evidenceParagraphs.length > 0);
  const results: RoutingRecall[] = [];
  for (const { label, encoder } of encoders) {
    const sums = new Map(ROUTING_KS.map((k) => [k, 0]));
    for (const item of items) {
      const result = await compress(contextOf(item), {
        ratio: 4,
        query: item.question,
        encoder,
      });
      const set = result.megaTokens;
      if (set === undefined) {
        continue;
      }
      const ranges = paragraphRanges(item);
      for (const k of ROUTING_KS) {
        const { top } = await route(set, item.question, {
          encoder,
          level: "segment",
          k,
        });
        const touched = item.evidenceParagraphs.filter((index) => {
          const range = ranges[index];
          return (
            range !== undefined &&
            top.some((entry) =>
              entry.token.spans.some(
                (span) => span.start < range.end && span.end > range.start,
              ),
            )
          );
        }).length;
        sums.set(
          k,
          (sums.get(k) ?? 0) + touched / item.evidenceParagraphs.length,
        );
      }
    }
    results.push({
      encoder: label,
      encoderId: encoder.id,
      items: items.length,
      recallAtK: Object.fromEntries(
        ROUTING_KS.map((k) => [
          String(k),
          items.length > 0 ? (sums.get(k) ?? 0) / items.length : 0,
        ]),
      ),
    });
  }
  return results;
}

/** Renders the routing recall table as a Markdown section. */
export function renderRoutingSection(
  results: readonly RoutingRecall[],
): string {
  const rows = results.map((result) => [
    result.encoder,
    ...ROUTING_KS.map((k) =>
      ((result.recallAtK[String(k)] ?? 0) * 100).toFixed(1),
    ),
  ]);
  return [
    "## Mega-token routing on HotpotQA",
    `${results[0]?.items ?? 0} items. Each context's mega-tokens are built by \`compress\` (ratio 4, with the question), the question is routed at the segment level, and recall is the mean share of evidence paragraphs that the top k segments touch.`,
    renderTable(["encoder", ...ROUTING_KS.map((k) => `recall@${k}`)], rows),
  ].join("\n\n");
}
