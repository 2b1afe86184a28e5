import { describe, expect, it } from "vitest";

import { compileCues, compileTemplate } from "./cue.js";

function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

describe("compileTemplate", () => {
  it("reads a space as an optional word separator", () => {
    const pattern = compileTemplate("ignore previous");

    expect(matches(pattern, "ignore previous")).toBe(true);
    expect(matches(pattern, "ignore, previous")).toBe(true);
    expect(matches(pattern, "ignoreprevious")).toBe(true);
    expect(matches(pattern, "ignore the previous")).toBe(false);
  });

  it("accepts i and l for each other", () => {
    const pattern = compileTemplate("all rules");

    expect(matches(pattern, "aii ruies")).toBe(true);
  });

  it("keeps character classes and escapes as written", () => {
    const pattern = compileTemplate("[il]x \\p{L}+");

    expect(pattern.source).toContain("[il]x");
    expect(pattern.source).toContain("\\p{L}+");
  });

  it("rejects a bounded match followed by a letter", () => {
    const pattern = compileTemplate("dan");

    expect(matches(pattern, "dan.")).toBe(true);
    expect(matches(pattern, "dance")).toBe(false);
  });
});

describe("compileCues", () => {
  it("gates a template written in another script by its characters", () => {
    const [chinese, english] = compileCues([
      { family: "override", score: 0.9, template: "忽略指令", bounded: false },
      { family: "override", score: 0.9, template: "ignore" },
    ]);

    expect(chinese?.gate?.test("请忽略")).toBe(true);
    expect(chinese?.gate?.test("ignore")).toBe(false);
    expect(english?.gate).toBeUndefined();
  });
});
