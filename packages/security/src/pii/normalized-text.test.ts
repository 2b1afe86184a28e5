import { describe, expect, it } from "vitest";

import { normalizeForDetection } from "./normalized-text.js";

/** Returns the original slice that a range of the normalized text came from. */
function originalOf(text: string, part: string): string {
  const view = normalizeForDetection(text);
  const start = view.text.indexOf(part);
  expect(start, `"${part}" in "${view.text}"`).toBeGreaterThanOrEqual(0);
  const range = view.toOriginal(start, start + part.length);
  return text.slice(range.start, range.end);
}

describe("normalizeForDetection", () => {
  it("returns a text without hidden characters as it is", () => {
    const text = "Mail ana@example.com, café, 😀.";
    const view = normalizeForDetection(text);

    expect(view.text).toBe(text);
    expect(view.toOriginal(5, 20)).toEqual({ start: 5, end: 20 });
  });

  it("removes zero-width characters and soft hyphens", () => {
    const text = "ana\u200b@exam\u00adple.com \u2060\ufeffok\u200d";

    expect(normalizeForDetection(text).text).toBe("ana@example.com ok");
  });

  it("maps a range back over the characters removed inside it", () => {
    const text = "Email: ana\u200b@exam\u00adple.com.";

    expect(originalOf(text, "ana@example.com")).toBe(
      "ana\u200b@exam\u00adple.com",
    );
  });

  it("leaves removed characters at the edges out of the range", () => {
    const text = "x \u200b4111 1111\u200b y";

    expect(originalOf(text, "4111 1111")).toBe("4111 1111");
  });

  it("turns no-break and thin spaces into spaces", () => {
    const text = "4111\u00a01111\u202f1111\u20091111\u3000end";

    expect(normalizeForDetection(text).text).toBe("4111 1111 1111 1111 end");
    expect(originalOf(text, "4111 1111")).toBe("4111\u00a01111");
  });

  it("turns full-width forms and digits of other scripts into ASCII", () => {
    const cases = [
      ["４１１１", "4111"],
      ["ana＠example．com", "ana@example.com"],
      ["٤١١١", "4111"],
      ["۴۱۱۱", "4111"],
      ["४१११", "4111"],
      ["𝟒𝟏𝟏𝟏", "4111"],
      ["𝟺𝟷𝟷𝟷", "4111"],
    ] as const;

    for (const [text, expected] of cases) {
      expect(normalizeForDetection(text).text, text).toBe(expected);
    }
  });

  it("maps astral digits back to both halves of each pair", () => {
    const text = "Card 𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 end";
    const view = normalizeForDetection(text);

    expect(view.text).toBe("Card 4111 1111 end");
    expect(originalOf(text, "4111 1111")).toBe("𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏");
  });

  it("keeps surrogate pairs of unchanged characters whole", () => {
    const text = "😀\u200b😀 ana\u200b@example.com";
    const view = normalizeForDetection(text);

    expect(view.text).toBe("😀😀 ana@example.com");
    expect(view.toOriginal(0, 4)).toEqual({ start: 0, end: 5 });
    expect(view.toOriginal(2, 4)).toEqual({ start: 3, end: 5 });
  });
});
