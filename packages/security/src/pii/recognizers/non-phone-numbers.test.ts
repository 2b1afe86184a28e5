import { describe, expect, it } from "vitest";

import { continuesAsNonPhone, hasNonPhoneShape } from "./non-phone-numbers.js";

describe("hasNonPhoneShape", () => {
  it("recognizes dates, amounts, decimals, versions, codes and figures", () => {
    const numbers = [
      "2024-03-15 10",
      "2024 03 15",
      "2023-11-0042",
      "1990 2000",
      "2015-2019",
      "90210-1234",
      "1 234 567",
      "1.000.000",
      "12,500,000",
      "3.14159 265358",
      "4.12.0.221",
      "1200 1350 1410",
    ];

    for (const number of numbers) {
      expect(hasNonPhoneShape(number), number).toBe(true);
    }
  });

  it("leaves usual phone groupings alone", () => {
    const numbers = [
      "555 0142",
      "06 12 34 56 78",
      "612 345 678",
      "612.345.678",
      "06.12.34.56.78",
      "1.800.555.0199",
      "555.0142",
      "0171 234 5678",
      "(37) 788-063",
      "001-518-640-0854",
      "9320 7126",
      "2012 345 678",
    ];

    for (const number of numbers) {
      expect(hasNonPhoneShape(number), number).toBe(false);
    }
  });
});

describe("continuesAsNonPhone", () => {
  it("recognizes times, fractions, percentages and money around digits", () => {
    const contexts = [
      ["office: ", ":30"],
      ["office ", ",5 m"],
      ["", " %"],
      ["", " euro"],
      ["", "€"],
      ["price: $", ""],
      ["total eur ", ""],
    ] as const;

    for (const [before, after] of contexts) {
      expect(continuesAsNonPhone(before, after), `${before}|${after}`).toBe(
        true,
      );
    }
  });

  it("leaves punctuation and lists of numbers alone", () => {
    const contexts = [
      ["call ", "."],
      ["call ", ", or later"],
      ["call ", ",555 0199"],
      ["mobile: ", "\nemail: ana@example.com"],
      ["europe: ", " office"],
    ] as const;

    for (const [before, after] of contexts) {
      expect(continuesAsNonPhone(before, after), `${before}|${after}`).toBe(
        false,
      );
    }
  });
});
