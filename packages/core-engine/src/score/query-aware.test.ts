import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { findProvenanceProblems } from "../test-support/provenance.js";
import { TOPIC_FOLLOW_UPS, TOPIC_PARAGRAPHS } from "../test-support/topics.js";
import type { InputDocument } from "../types.js";

const ANSWER =
  "The repair of the Elm Street bridge will cost 4.2 million dollars and start in May.";
const QUESTION = "How much will the Elm Street bridge repair cost?";

const DOCUMENTS: InputDocument[] = [
  {
    id: "bakery",
    text: `${TOPIC_PARAGRAPHS[1]}\n\n${TOPIC_FOLLOW_UPS[1]}`,
  },
  {
    id: "sailing",
    text: `${TOPIC_PARAGRAPHS[2]}\n\n${TOPIC_FOLLOW_UPS[2]}`,
  },
  {
    id: "council",
    text: `${TOPIC_PARAGRAPHS[3]} ${ANSWER}\n\n${TOPIC_FOLLOW_UPS[3]}`,
  },
];

describe("compress with a query", () => {
  it("keeps the answer from the third document", async () => {
    for (const ratio of [2, 3, 4, 6]) {
      const result = await compress(DOCUMENTS, { ratio, query: QUESTION });
      const answerSpans = result.spans.filter((span) =>
        span.text.includes(ANSWER),
      );

      expect(answerSpans.map((span) => span.documentId)).toEqual(["council"]);
    }
  });

  it("names the source document of every span", async () => {
    for (const ratio of [2, 3, 4, 6]) {
      const result = await compress(DOCUMENTS, { ratio, query: QUESTION });

      expect(findProvenanceProblems(result, DOCUMENTS)).toEqual([]);
    }
  });

  it("never crosses a document boundary", async () => {
    for (const ratio of [2, 3, 4, 6]) {
      const result = await compress(DOCUMENTS, { ratio, query: QUESTION });
      const crossing = result.spans.filter((span) => {
        const source = DOCUMENTS.find(
          (document) => document.id === span.documentId,
        );
        return source === undefined || span.end > source.text.length;
      });

      expect(crossing).toEqual([]);
    }
  });

  it("spends most of the budget on the answering document", async () => {
    const result = await compress(DOCUMENTS, { ratio: 4, query: QUESTION });
    const council = result.documents.find(
      (document) => document.id === "council",
    );

    expect(council?.compressedTokens).toBeGreaterThan(
      result.compressedTokens / 2,
    );
  });

  it("ranks the answer above generic text", async () => {
    const result = await compress(DOCUMENTS, {
      targetTokens: 30,
      query: QUESTION,
    });

    expect(result.text).toContain(ANSWER);
  });
});
