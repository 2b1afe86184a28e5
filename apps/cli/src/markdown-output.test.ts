import { describe, expect, it } from "vitest";

import { codeBlock, inlineCode } from "./markdown-output.js";

describe("inlineCode", () => {
  it("wraps plain text in single backticks", () => {
    expect(inlineCode("notes.md")).toBe("`notes.md`");
  });

  it("uses a longer fence than any backtick run inside", () => {
    expect(inlineCode("a``b")).toBe("```a``b```");
  });

  it("pads text that starts with a backtick", () => {
    expect(inlineCode("`x")).toBe("`` `x ``");
  });

  it("writes line breaks as spaces", () => {
    expect(inlineCode("a\nb")).toBe("`a b`");
  });
});

describe("codeBlock", () => {
  it("fences text with three backticks and a language", () => {
    expect(codeBlock("x = 1", "text")).toBe("```text\nx = 1\n```");
  });

  it("uses a longer fence than any fence inside", () => {
    expect(codeBlock("````\ncode\n````\n", "markdown")).toBe(
      "`````markdown\n````\ncode\n````\n`````",
    );
  });
});

describe("Markdown fences of long texts", () => {
  // Spreading one argument per backtick run into Math.max overflows the
  // call stack between 100,000 and 130,000 arguments (measured on Node 20).
  it("fences a block of 200,000 runs", () => {
    const text = "```a ".repeat(200_000);

    expect(codeBlock(text, "text").startsWith("````text\n")).toBe(true);
  });

  it("fences a span of 200,000 runs", () => {
    const text = "`a ".repeat(200_000);

    expect(inlineCode(text).startsWith("``")).toBe(true);
  });
});
