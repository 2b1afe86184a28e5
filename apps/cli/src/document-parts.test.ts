import { describe, expect, it } from "vitest";

import { splitByDocument } from "./document-parts.js";

function span(documentId: string, text: string) {
  return { documentId, start: 0, end: text.length, text };
}

describe("splitByDocument", () => {
  it("returns each document's part with its inner separators", () => {
    const parts = splitByDocument({
      text: "One. … Three.\n\nAlpha.",
      spans: [span("a", "One."), span("a", "Three."), span("b", "Alpha.")],
    });

    expect(parts?.get("a")).toBe("One. … Three.");
    expect(parts?.get("b")).toBe("Alpha.");
  });

  it("finds repeated span texts in order", () => {
    const parts = splitByDocument({
      text: "Yes.\n\nYes. … No.",
      spans: [span("a", "Yes."), span("b", "Yes."), span("b", "No.")],
    });

    expect(parts?.get("a")).toBe("Yes.");
    expect(parts?.get("b")).toBe("Yes. … No.");
  });

  it("returns undefined when a span is not in the text", () => {
    expect(
      splitByDocument({ text: "Other.", spans: [span("a", "Missing.")] }),
    ).toBeUndefined();
  });
});
