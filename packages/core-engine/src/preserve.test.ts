import { describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import { markPreservedUnits } from "./preserve.js";
import { segmentDocuments } from "./segment/index.js";
import { createRandom } from "./test-support/random.js";
import { generateParagraph } from "./test-support/text.js";

/** Generated prose with one sentence of `needle` in its middle paragraph. */
function proseAround(needle: string, seed: number): string {
  const random = createRandom(seed);
  const paragraphs = Array.from({ length: 9 }, () =>
    generateParagraph(random, 5),
  );
  paragraphs[4] = `${generateParagraph(random, 2)} ${needle} ${generateParagraph(random, 2)}`;
  return paragraphs.join("\n\n");
}

describe("markPreservedUnits", () => {
  const text = "First one. Second has KX-4471-B here. Third one. Fourth one.";
  const corpus = segmentDocuments([{ id: "doc", text, format: "text" }]);

  it("marks units with a match", () => {
    expect(Array.from(markPreservedUnits(corpus, [/KX-\d+-[A-Z]/]))).toEqual([
      0, 1, 0, 0,
    ]);
  });

  it("marks every unit a match spans", () => {
    expect(Array.from(markPreservedUnits(corpus, [/Second.*Third/]))).toEqual([
      0, 1, 1, 0,
    ]);
  });

  it("marks nothing without entries", () => {
    expect(Array.from(markPreservedUnits(corpus, []))).toEqual([0, 0, 0, 0]);
  });
});

describe("compress with preserve", () => {
  it("keeps a regex match byte-identical", async () => {
    const needle = "Ticket RF-2024-00917 was escalated to the on-call lead.";
    const text = proseAround(needle, 4);
    for (const ratio of [2, 5, 10]) {
      const result = await compress(text, {
        ratio,
        preserve: [/RF-\d{4}-\d{5}/],
      });

      expect(result.text).toContain("RF-2024-00917");
      expect(result.text).toContain(needle);
    }
  });

  it("keeps an e-mail address byte-identical", async () => {
    const needle =
      "Send the signed copy to grace.hopper+audit@example.org today.";
    const text = proseAround(needle, 5);
    for (const ratio of [2, 5, 10]) {
      const result = await compress(text, { ratio, preserve: ["emails"] });

      expect(result.text).toContain("grace.hopper+audit@example.org");
    }
  });

  it("keeps plates and amounts of built-in classes", async () => {
    const needle =
      "Vehicle KX-4471-B paid $85.50 on 2024-03-09 with permit T-00981-Z.";
    const text = proseAround(needle, 6);
    const result = await compress(text, {
      ratio: 8,
      preserve: ["ids", "numbers"],
    });

    for (const value of ["KX-4471-B", "T-00981-Z", "$85.50", "2024-03-09"]) {
      expect(result.text).toContain(value);
    }
  });

  it("keeps a date of the dates class", async () => {
    const needle = "Vehicle KX-4471-B was stopped on 2024-03-09 at noon.";
    const text = proseAround(needle, 7);
    const result = await compress(text, { ratio: 8, preserve: ["dates"] });

    expect(result.text).toContain("2024-03-09");
  });

  it("reports preserved text over the budget", async () => {
    const text = proseAround("Nothing special here.", 8);
    const result = await compress(text, { ratio: 4, preserve: [/\w+/] });

    expect(result.budgetMet).toBe(false);
    expect(result.reason).toMatch(/preserved/);
  });
});
