import { describe, expect, it } from "vitest";

import { phoneSearchText } from "./phone-search-text.js";

describe("phoneSearchText", () => {
  it("returns text whose digit chains may hold phone numbers unchanged", () => {
    const texts = [
      "",
      "no digits here",
      "Call +33 6 12 34 56 78 or (555) 123-4567.",
      "Build 2024, room 12, code 4711.",
    ];

    for (const text of texts) {
      expect(phoneSearchText(text)).toBe(text);
    }
  });

  it("blanks chains of single digits and chains of too few digits", () => {
    expect(phoneSearchText("v 1.1.1.1.1 end")).toBe("v _________ end");
    expect(phoneSearchText("Seat 7 of 12")).toBe("Seat _ of __");
  });

  it("keeps a short chain right after a possible number as its extension", () => {
    const text = "Call 555 0142 x 1 or 555 0199, 2 then 3";
    const searched = phoneSearchText(text);

    expect(searched).toBe("Call 555 0142 x 1 or 555 0199, 2 then 3");
  });

  it("blanks a long chain even right after a possible number", () => {
    const chain = "1.".repeat(20) + "1";
    const text = `555 0142, ${chain} end`;

    expect(phoneSearchText(text)).toBe(
      `555 0142, ${"_".repeat(chain.length)} end`,
    );
  });

  it("keeps the length of the text for digits of any script", () => {
    const text = "a 𝟏.𝟏.𝟏 b ١.١ c 4111 1111";
    const searched = phoneSearchText(text);

    expect(searched).toHaveLength(text.length);
    expect(searched.endsWith("4111 1111")).toBe(true);
    expect(searched).not.toMatch(/𝟏|١/u);
  });
});
