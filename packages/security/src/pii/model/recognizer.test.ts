import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { detectPii } from "../detect.js";
import { expectSlicesMatch } from "../test-support/findings.js";
import type { PiiFinding } from "../types.js";
import { loadNerRecognizer } from "./load.js";
import type { NerRecognizer } from "./recognizer.js";
import { captureSecurityError } from "./test-support/capture-error.js";
import { removeTinyModel, writeTinyNerModel } from "./test-support/tiny-ner.js";

/** Returns each finding as its kind, offsets and text. */
function spansOf(
  findings: readonly PiiFinding[],
): [string, number, number, string][] {
  return findings.map((finding) => [
    finding.type,
    finding.start,
    finding.end,
    finding.text,
  ]);
}

const folders: string[] = [];
const recognizers: NerRecognizer[] = [];

async function load(
  ...args: Parameters<typeof loadNerRecognizer>
): Promise<NerRecognizer> {
  const recognizer = await loadNerRecognizer(...args);
  recognizers.push(recognizer);
  return recognizer;
}

let folder = "";
let ner: NerRecognizer;

beforeAll(async () => {
  folder = await writeTinyNerModel();
  folders.push(folder);
  ner = await load(folder);
});

afterAll(async () => {
  await Promise.all(recognizers.map((recognizer) => recognizer.close()));
  await Promise.all(folders.map(removeTinyModel));
});

describe("loadNerRecognizer", () => {
  it("reads labels, kinds and length", () => {
    expect(ner.name).toBe("ner");
    expect(ner.types).toEqual(["PERSON", "LOCATION"]);
    expect(ner.labels[1]).toBe("B-PER");
    expect(ner.maxLength).toBe(64);
  });

  it("finds names and places with exact offsets", async () => {
    const text = "Ada Lovelace met Marie Curie in Paris.";
    const findings = await ner.recognize(text);
    expect(spansOf(findings)).toEqual([
      ["PERSON", 0, 12, "Ada Lovelace"],
      ["PERSON", 17, 28, "Marie Curie"],
      ["LOCATION", 32, 37, "Paris"],
    ]);
    expectSlicesMatch(text, findings);
    expect(findings[0]?.recognizer).toBe("ner");
    expect(findings[0]?.validation).toEqual({ entity: "PER", words: 2 });
    expect(findings[2]?.validation).toEqual({ entity: "LOC", words: 1 });
  });

  it("merges B-PER and I-PER into one span", async () => {
    const findings = await ner.recognize("then Ada Lovelace wrote");
    expect(spansOf(findings)).toEqual([["PERSON", 5, 17, "Ada Lovelace"]]);
    expect(findings[0]?.score).toBeGreaterThan(0.95);
  });

  it("keeps two B-PER words as two names", async () => {
    const findings = await ner.recognize("Ada Ada");
    expect(spansOf(findings)).toEqual([
      ["PERSON", 0, 3, "Ada"],
      ["PERSON", 4, 7, "Ada"],
    ]);
  });

  it("covers a name of several pieces", async () => {
    const findings = await ner.recognize("Then Okonkwo wrote.");
    expect(spansOf(findings)).toEqual([["PERSON", 5, 12, "Okonkwo"]]);
    expect(findings[0]?.score).toBeGreaterThan(0.95);
  });

  it("covers the whole word under every aggregation", async () => {
    for (const aggregation of ["average", "max"] as const) {
      const recognizer = await load(folder, { aggregation });
      const findings = await recognizer.recognize("Then Okonkwo wrote.");
      expect(spansOf(findings)).toEqual([["PERSON", 5, 12, "Okonkwo"]]);
    }
  });

  it("finds accented names and places", async () => {
    const text = "José visited Zürich, São Paulo and Genève; Jose\u0301 too.";
    const findings = await ner.recognize(text);
    expect(spansOf(findings)).toEqual([
      ["PERSON", 0, 4, "José"],
      ["LOCATION", 13, 19, "Zürich"],
      ["LOCATION", 21, 30, "São Paulo"],
      ["LOCATION", 35, 41, "Genève"],
      ["PERSON", 43, 48, "Jose\u0301"],
    ]);
  });

  it("ignores entity types outside the mapping", async () => {
    const findings = await ner.recognize("Acme Corp is French.");
    expect(findings).toEqual([]);
  });

  it("reports types that entityTypes maps", async () => {
    const recognizer = await load(folder, {
      entityTypes: { ORG: "LOCATION", LOC: null },
    });
    expect(recognizer.types).toEqual(["PERSON", "LOCATION"]);
    const findings = await recognizer.recognize("Acme Corp in Paris.");
    expect(spansOf(findings)).toEqual([["LOCATION", 0, 9, "Acme Corp"]]);
    expect(findings[0]?.validation.entity).toBe("ORG");
  });

  it("drops entities below minScore", async () => {
    const text = "Kim met Ada.";
    const all = await ner.recognize(text);
    expect(spansOf(all)).toEqual([
      ["PERSON", 0, 3, "Kim"],
      ["PERSON", 8, 11, "Ada"],
    ]);
    expect(all[0]?.score).toBeCloseTo(0.359, 2);
    const strict = await load(folder, { minScore: 0.5, name: "strict-ner" });
    const kept = await strict.recognize(text);
    expect(spansOf(kept)).toEqual([["PERSON", 8, 11, "Ada"]]);
    expect(kept[0]?.recognizer).toBe("strict-ner");
  });

  it("returns nothing for empty text", async () => {
    expect(await ner.recognize("")).toEqual([]);
    expect(await ner.recognize("  \n ")).toEqual([]);
  });

  it("reads a cased model without folding case", async () => {
    const cased = await writeTinyNerModel({
      lowercase: false,
      tokens: {
        Ada: { label: "B-PER", logit: 6 },
        Zürich: { label: "B-LOC", logit: 6 },
        ada: null,
        in: null,
      },
    });
    folders.push(cased);
    const recognizer = await load(cased);
    const findings = await recognizer.recognize("Ada in Zürich, ada in Zurich");
    expect(spansOf(findings)).toEqual([
      ["PERSON", 0, 3, "Ada"],
      ["LOCATION", 7, 13, "Zürich"],
    ]);
  });

  it("maps PERSON and GPE labels", async () => {
    const labels = ["O", "B-PERSON", "I-PERSON", "B-GPE", "I-GPE", "B-ORG"];
    const scheme = await writeTinyNerModel({
      labels,
      tokens: {
        ada: { label: "B-PERSON", logit: 6 },
        lovelace: { label: "I-PERSON", logit: 6 },
        sao: { label: "B-GPE", logit: 6 },
        paulo: { label: "I-GPE", logit: 6 },
        acme: { label: "B-ORG", logit: 6 },
        in: null,
      },
    });
    folders.push(scheme);
    const recognizer = await load(scheme);
    const text = "Ada Lovelace in São Paulo in Acme";
    expect(spansOf(await recognizer.recognize(text))).toEqual([
      ["PERSON", 0, 12, "Ada Lovelace"],
      ["LOCATION", 16, 25, "São Paulo"],
    ]);
    const namesOnly = await load(scheme, { entityTypes: { GPE: null } });
    expect(namesOnly.types).toEqual(["PERSON"]);
    expect(spansOf(await namesOnly.recognize(text))).toEqual([
      ["PERSON", 0, 12, "Ada Lovelace"],
    ]);
  });
});

describe("loadNerRecognizer on long texts", () => {
  const filler = (count: number): string =>
    Array.from({ length: count }, (_, index) =>
      index % 2 === 0 ? "the cat" : "sat on",
    ).join(" ");

  it("matches one window in small windows", async () => {
    // This model fails on inputs over 10 tokens, and its config.json sets
    // max_position_embeddings to 10. Windows hold 8 text tokens, so the
    // entities cross every window edge as the filler before them grows.
    const shortFolder = await writeTinyNerModel({ maxPositions: 10 });
    folders.push(shortFolder);
    const small = await load(shortFolder);
    expect(small.maxLength).toBe(10);
    const bare = await load(shortFolder, { windowOverlap: 0 });
    for (let count = 0; count < 12; count++) {
      const text = `${filler(count)} Ada Lovelace met Okonkwo in São Paulo. ${filler(3)}`;
      const expected = spansOf(await ner.recognize(text));
      expect(expected.map((span) => span[3])).toEqual([
        "Ada Lovelace",
        "Okonkwo",
        "São Paulo",
      ]);
      expect(spansOf(await small.recognize(text))).toEqual(expected);
      expect(spansOf(await bare.recognize(text))).toEqual(expected);
    }
  });

  it("reads texts many windows long", async () => {
    const text = `${filler(400)} Marie Curie`;
    const findings = await ner.recognize(text);
    expect(spansOf(findings)).toEqual([
      ["PERSON", text.length - 11, text.length, "Marie Curie"],
    ]);
  });

  it("rejects maxLength beyond model positions", async () => {
    const error = await captureSecurityError(() =>
      loadNerRecognizer(folder, { maxLength: 65 }),
    );
    expect(error.code).toBe(SecurityErrorCode.MODEL_INTEGRITY_FAILED);
    expect(error.message).toContain("65 tokens");
    expect(error.message).toContain("maxLength");
  });
});

describe("NerRecognizer with detectPii", () => {
  it("returns prepared findings to detectPii", async () => {
    const text = "Write to Ada Lovelace in Paris.";
    await ner.prepare(text);
    const findings = detectPii(text, {
      types: ["PERSON", "LOCATION"],
      recognizers: [ner],
    });
    expect(spansOf(findings)).toEqual([
      ["PERSON", 9, 21, "Ada Lovelace"],
      ["LOCATION", 25, 30, "Paris"],
    ]);
  });

  it("raises for an unprepared text", async () => {
    const error = await captureSecurityError(() =>
      detectPii("Ada was never prepared.", { recognizers: [ner] }),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toContain("prepare(text)");
  });

  it("keeps the last 16 prepared texts", async () => {
    const texts = Array.from({ length: 17 }, (_, index) => `Ada ${index}`);
    for (const text of texts) {
      await ner.prepare(text);
    }
    expect(ner.find(texts[16] as string)).toHaveLength(1);
    expect(ner.find(texts[1] as string)).toHaveLength(1);
    await expect(
      captureSecurityError(() => ner.find(texts[0] as string)),
    ).resolves.toMatchObject({ code: SecurityErrorCode.INVALID_INPUT });
  });

  it("raises after close", async () => {
    const recognizer = await loadNerRecognizer(folder);
    await recognizer.prepare("Ada");
    await recognizer.close();
    const error = await captureSecurityError(() => recognizer.recognize("Ada"));
    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toContain("closed");
    expect(() => recognizer.find("Ada")).toThrow("closed");
  });

  it("raises for a non-string text", async () => {
    const error = await captureSecurityError(() =>
      ner.recognize(42 as unknown as string),
    );
    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
  });
});
