import { describe, expect, it } from "vitest";

import {
  CHECKPOINT_SENTENCES,
  CHINESE_PARAGRAPHS,
  DEPLOYMENT_GUIDE,
  EXPENSE_REPORT_PARAGRAPHS,
} from "../test-support/documents.js";
import { createRandom } from "../test-support/random.js";
import {
  generateProse,
  generateRunOnLine,
  wrapText,
} from "../test-support/text.js";
import type { DocumentFormat } from "../types.js";
import { segmentDocuments } from "./index.js";
import type { Corpus } from "./index.js";

const WHITE_SPACE = /^[\s\uFEFF]|[\s\uFEFF]$/u;

function sampleDocuments(): {
  id: string;
  text: string;
  format: DocumentFormat;
}[] {
  const random = createRandom(21);
  const prose = generateProse(random, 6000);
  return [
    { id: "prose", text: prose, format: "text" },
    { id: "wrapped", text: wrapText(prose, 72), format: "text" },
    {
      id: "crlf",
      text: `\uFEFF${wrapText(prose, 72, "\r\n")}`,
      format: "text",
    },
    { id: "guide", text: DEPLOYMENT_GUIDE, format: "markdown" },
    { id: "log", text: CHECKPOINT_SENTENCES.join(" "), format: "text" },
    {
      id: "report",
      text: EXPENSE_REPORT_PARAGRAPHS.join("\n\n"),
      format: "markdown",
    },
    { id: "chinese", text: CHINESE_PARAGRAPHS.join("\n\n"), format: "text" },
    {
      id: "run-on",
      text: `  ${generateRunOnLine(random, 1500)}  \n`,
      format: "text",
    },
    {
      id: "emoji",
      text: "😀 Smile 😀. Next 👍🏽 line.\n\n\n",
      format: "markdown",
    },
  ];
}

function unitProblems(corpus: Corpus): string[] {
  const problems: string[] = [];
  corpus.units.forEach((unit, index) => {
    const document = corpus.documents[unit.document];
    if (document === undefined) {
      problems.push(`unit ${index} names no document`);
      return;
    }
    const text = document.text.slice(unit.start, unit.end);
    if (unit.start < 0 || unit.end > document.text.length) {
      problems.push(`unit ${index} lies outside ${document.id}`);
    }
    if (unit.end <= unit.start) {
      problems.push(`unit ${index} of ${document.id} is empty`);
    }
    if (WHITE_SPACE.test(text)) {
      problems.push(`unit ${index} of ${document.id} is not trimmed`);
    }
    const previous = corpus.units[index - 1];
    if (previous?.document === unit.document && previous.end > unit.start) {
      problems.push(
        `unit ${index} of ${document.id} overlaps unit ${index - 1}`,
      );
    }
  });
  return problems;
}

describe("segmentDocuments", () => {
  it("keeps every unit inside its document", () => {
    const corpus = segmentDocuments(sampleDocuments());

    expect(corpus.units.length).toBeGreaterThan(100);
    expect(unitProblems(corpus)).toEqual([]);
  });

  it("gives each document its unit range", () => {
    const documents = sampleDocuments();
    const corpus = segmentDocuments(documents);

    expect(corpus.documents.map((document) => document.id)).toEqual(
      documents.map((document) => document.id),
    );
    corpus.documents.forEach((document, index) => {
      const owners = corpus.units
        .slice(document.firstUnit, document.endUnit)
        .map((unit) => unit.document);

      expect(owners.every((owner) => owner === index)).toBe(true);
    });
    expect(corpus.documents.at(-1)?.endUnit).toBe(corpus.units.length);
  });

  it("places units inside their block", () => {
    const corpus = segmentDocuments(sampleDocuments());
    const outside = corpus.units.filter((unit, index) => {
      const block = corpus.blocks[unit.block];
      return (
        block === undefined ||
        index < block.firstUnit ||
        index >= block.endUnit ||
        unit.start < block.start ||
        unit.end > block.end
      );
    });

    expect(outside).toEqual([]);
  });

  it("places blocks inside their section", () => {
    const corpus = segmentDocuments(sampleDocuments());
    const outside = corpus.blocks.filter((block, index) => {
      const section = corpus.sections[block.section];
      return (
        section === undefined ||
        index < section.firstBlock ||
        index >= section.endBlock ||
        section.document !== block.document
      );
    });

    expect(outside).toEqual([]);
  });

  it("yields no units for empty documents", () => {
    const corpus = segmentDocuments([
      { id: "empty", text: "", format: "text" },
      { id: "blank", text: " \n\t\r\n ", format: "text" },
      { id: "blank-md", text: "\n\n   \n", format: "markdown" },
    ]);

    expect(corpus.units).toEqual([]);
    expect(corpus.documents).toHaveLength(3);
  });

  it("reports progress once per document", () => {
    const seen: number[] = [];
    segmentDocuments(sampleDocuments().slice(0, 3), (index) =>
      seen.push(index),
    );

    expect(seen).toEqual([0, 1, 2]);
  });
});
