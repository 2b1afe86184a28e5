import { describe, expect, it } from "vitest";

import { expectSlicesMatch, findChecked } from "../test-support/findings.js";
import type { PiiFinding } from "../types.js";
import { IBAN_LENGTHS, ibanRecognizer, passesMod97 } from "./iban.js";

/** Runs the recognizer and checks each finding's slice, kind and score. */
function find(text: string): PiiFinding[] {
  return findChecked(ibanRecognizer, { type: "IBAN", name: "iban" }, text);
}

/** Published example IBANs, one per country, in electronic format. */
const EXAMPLES = [
  "DE89370400440532013000",
  "GB82WEST12345698765432",
  "FR1420041010050500013M02606",
  "NL91ABNA0417164300",
  "BE68539007547034",
  "NO9386011117947",
  "CH9300762011623852957",
  "ES9121000418450200051332",
  "IT60X0542811101000000123456",
  "MT84MALT011000012345MTLCAST001S",
  "SA0380000000608010167519",
  "LC55HEMM000100010012001200023015",
];

describe("passesMod97", () => {
  it.each(EXAMPLES)("accepts %s", (iban) => {
    expect(passesMod97(iban)).toBe(true);
  });

  it("rejects changed digit", () => {
    expect(passesMod97("DE89370400440532013001")).toBe(false);
    expect(passesMod97("GB82WEST12345698765433")).toBe(false);
  });

  it("rejects swapped digits", () => {
    expect(passesMod97("DE89370400440532010300")).toBe(false);
  });
});

describe("IBAN_LENGTHS", () => {
  it("covers SEPA countries", () => {
    const sepa = [
      ["AD", 24],
      ["AT", 20],
      ["BE", 16],
      ["BG", 22],
      ["CH", 21],
      ["CY", 28],
      ["CZ", 24],
      ["DE", 22],
      ["DK", 18],
      ["EE", 20],
      ["ES", 24],
      ["FI", 18],
      ["FR", 27],
      ["GB", 22],
      ["GI", 23],
      ["GR", 27],
      ["HR", 21],
      ["HU", 28],
      ["IE", 22],
      ["IS", 26],
      ["IT", 27],
      ["LI", 21],
      ["LT", 20],
      ["LU", 20],
      ["LV", 21],
      ["MC", 27],
      ["MT", 31],
      ["NL", 18],
      ["NO", 15],
      ["PL", 28],
      ["PT", 25],
      ["RO", 24],
      ["SE", 24],
      ["SI", 19],
      ["SK", 24],
      ["SM", 27],
      ["VA", 22],
    ] as const;
    for (const [country, length] of sepa) {
      expect(IBAN_LENGTHS[country], country).toBe(length);
    }
  });

  it("matches example lengths", () => {
    for (const iban of EXAMPLES) {
      expect(IBAN_LENGTHS[iban.slice(0, 2)], iban).toBe(iban.length);
    }
  });
});

describe("ibanRecognizer", () => {
  it("finds spaced and compact IBANs exactly", () => {
    const text =
      "IBAN DE89 3704 0044 0532 0130 00 and GB82WEST12345698765432 today";
    const findings = find(text);

    expect(findings).toHaveLength(2);
    const [german, british] = findings;
    expect(german?.text).toBe("DE89 3704 0044 0532 0130 00");
    expect(german?.start).toBe(5);
    expect(german?.end).toBe(32);
    expect(german?.validation.country).toBe("DE");
    expect(german?.validation.mod97).toBe(true);
    expect(german?.validation.length).toBe(22);
    expect(german?.validation.sepa).toBe(true);
    expect(german?.type).toBe("IBAN");
    expect(german?.recognizer).toBe("iban");
    expect(british?.text).toBe("GB82WEST12345698765432");
    expect(british?.start).toBe(37);
    expect(british?.end).toBe(59);
    expect(british?.validation.country).toBe("GB");
    expectSlicesMatch(text, findings);
  });

  it("finds every example IBAN", () => {
    const text = EXAMPLES.join(", ");
    const findings = find(text);

    expect(findings.map((finding) => finding.text)).toEqual(EXAMPLES);
    expectSlicesMatch(text, findings);
  });

  it("finds IBAN with short last group", () => {
    const text = "Virement sur FR14 2004 1010 0505 0001 3M02 606.";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("FR14 2004 1010 0505 0001 3M02 606");
    expectSlicesMatch(text, findings);
  });

  it("does not swallow following upper-case word", () => {
    const text = "DE89 3704 0044 0532 0130 00 ABCD";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("DE89 3704 0044 0532 0130 00");
  });

  it("accepts lower-case IBAN", () => {
    const findings = find("iban: gb82west12345698765432");

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("gb82west12345698765432");
    expect(findings[0]?.validation.country).toBe("GB");
  });

  it("marks non-SEPA country", () => {
    const findings = find("SA0380000000608010167519");

    expect(findings).toHaveLength(1);
    expect(findings[0]?.validation.sepa).toBe(false);
  });

  it("rejects failed checksum", () => {
    expect(find("IBAN DE89 3704 0044 0532 0130 01")).toEqual([]);
  });

  it("rejects wrong length", () => {
    expect(find("DE89370400440532013")).toEqual([]);
    expect(find("DE8937040044053201300099")).toEqual([]);
  });

  it("rejects unknown country code", () => {
    expect(find("ZZ89370400440532013000")).toEqual([]);
  });

  it("rejects irregular spacing", () => {
    expect(find("DE89 370 400 440 532 013 000")).toEqual([]);
    expect(find("DE89  3704  0044  0532  0130  00")).toEqual([]);
  });

  it("rejects IBAN inside word", () => {
    expect(find("xDE89370400440532013000")).toEqual([]);
    expect(find("DE89370400440532013000x")).toEqual([]);
  });

  it("scores IBAN context higher", () => {
    const plain = find("pay DE89370400440532013000");
    const withWord = find("IBAN: DE89370400440532013000");

    expect(plain[0]?.score).toBeCloseTo(0.9);
    expect(withWord[0]?.score).toBeCloseTo(1);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode", () => {
    const text = "🏦\u200bDE89 3704 0044 0532 0130 00\u200b 𝔇𝔈𝟠𝟡 \udc00 Ⅻ";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("DE89 3704 0044 0532 0130 00");
    expectSlicesMatch(text, findings);
  });

  it("scans 200k characters quickly", () => {
    const chunk = "AB12 CD34 EF56 wire to GB82 WEST 1234 5698 7654 32 now ";
    const text = chunk.repeat(Math.ceil(200_000 / chunk.length));
    const started = performance.now();
    const findings = find(text);
    const elapsedMs = performance.now() - started;

    expect(text.length).toBeGreaterThanOrEqual(200_000);
    expect(findings).toHaveLength(Math.ceil(200_000 / chunk.length));
    expect(elapsedMs).toBeLessThan(10_000);
    expectSlicesMatch(text, findings);
  });
});
