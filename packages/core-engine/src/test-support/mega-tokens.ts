import { compress } from "../compress.js";
import type { MegaTokenSet } from "../mega-tokens/types.js";
import type { InputDocument } from "../types.js";
import { CHINESE_PARAGRAPHS, DEPLOYMENT_GUIDE } from "./documents.js";
import { TOPIC_FOLLOW_UPS, TOPIC_PARAGRAPHS } from "./topics.js";

/** The five topics, each as a paragraph and its follow-up, in plain text. */
export const TOPICS_DOCUMENT = TOPIC_PARAGRAPHS.map(
  (paragraph, index) => `${paragraph}\n\n${TOPIC_FOLLOW_UPS[index] ?? ""}`,
).join("\n\n");

/**
 * Documents of every kind the hierarchy must handle: plain prose without
 * headings, Markdown with sections, an empty document, and Chinese text
 * with emoji.
 */
export const MEGA_TOKEN_DOCUMENTS: InputDocument[] = [
  { id: "topics", text: TOPICS_DOCUMENT, format: "text" },
  { id: "guide", text: DEPLOYMENT_GUIDE, format: "markdown" },
  { id: "empty", text: "", format: "text" },
  {
    id: "chinese",
    text: `${CHINESE_PARAGRAPHS.join("\n\n")}\n\n表情😀很好。罕见字𠀀也在这里。`,
    format: "text",
  },
];

/** Builds the mega-token set of {@link MEGA_TOKEN_DOCUMENTS}. */
export async function buildSampleSet(): Promise<MegaTokenSet> {
  const result = await compress(MEGA_TOKEN_DOCUMENTS, { ratio: 3 });
  if (result.megaTokens === undefined) {
    throw new Error("compress returned no mega-tokens.");
  }
  return result.megaTokens;
}

const TOPIC_TITLES = [
  "Observatory",
  "Bakery",
  "Sailing club",
  "City finances",
  "Community garden",
];

/** The five topics as one Markdown document with a heading per topic. */
export const TOPICS_MARKDOWN = TOPIC_PARAGRAPHS.map(
  (paragraph, index) =>
    `## ${TOPIC_TITLES[index] ?? ""}\n\n${paragraph}\n\n${TOPIC_FOLLOW_UPS[index] ?? ""}`,
).join("\n\n");

/** Builds the mega-token set of one document. */
export async function buildSingleDocumentSet(
  document: InputDocument,
): Promise<MegaTokenSet> {
  const result = await compress([document], { ratio: 3 });
  if (result.megaTokens === undefined) {
    throw new Error("compress returned no mega-tokens.");
  }
  return result.megaTokens;
}
