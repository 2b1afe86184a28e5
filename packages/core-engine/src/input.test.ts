import { describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import { CoreEngineErrorCode } from "./errors.js";
import { detectFormat, normalizeInput, STRING_INPUT_ID } from "./input.js";
import { DEPLOYMENT_GUIDE } from "./test-support/documents.js";
import { catchCoreEngineError } from "./test-support/errors.js";
import type { CompressInput } from "./types.js";

const INVALID = CoreEngineErrorCode.INVALID_INPUT;

function unchecked(input: unknown): CompressInput {
  return input as CompressInput;
}

describe("normalizeInput", () => {
  it("gives a string input the id 0", () => {
    const [document] = normalizeInput("Plain text here.");

    expect(document?.id).toBe(STRING_INPUT_ID);
    expect(STRING_INPUT_ID).toBe("0");
  });

  it("keeps a given format", () => {
    const [document] = normalizeInput([
      { id: "a", text: "# Not a heading", format: "text" },
    ]);

    expect(document?.format).toBe("text");
  });

  it.each([42, null, undefined, { id: "a", text: "b" }, new Map()])(
    "rejects %j as input",
    async (input) => {
      const error = await catchCoreEngineError(() =>
        normalizeInput(unchecked(input)),
      );

      expect(error.code).toBe(INVALID);
      expect(error.issues).toHaveLength(1);
    },
  );

  it("reports every bad document at once", async () => {
    const error = await catchCoreEngineError(() =>
      normalizeInput(
        unchecked([
          { id: 1, text: "a" },
          { id: "x" },
          null,
          { id: "y", text: "b", format: "html" },
          { id: "", text: "c" },
        ]),
      ),
    );

    expect(error.code).toBe(INVALID);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "0.id",
      "1.text",
      "2",
      "3.format",
      "4.id",
    ]);
  });

  it("names the bad value in each issue", async () => {
    const error = await catchCoreEngineError(() =>
      normalizeInput(unchecked([{ id: "y", text: "b", format: "html" }])),
    );

    expect(error.issues[0]?.message).toContain('"html"');
    expect(error.issues[0]?.value).toBe("html");
  });

  it("rejects duplicate ids", async () => {
    const error = await catchCoreEngineError(() =>
      normalizeInput([
        { id: "a", text: "one" },
        { id: "b", text: "two" },
        { id: "a", text: "three" },
      ]),
    );

    expect(error.code).toBe(INVALID);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe("2.id");
    expect(error.issues[0]?.message).toContain('"a"');
  });
});

describe("detectFormat", () => {
  it("detects Markdown by its headings", () => {
    expect(detectFormat("Intro.\n\n## Usage\n\nRun it.")).toBe("markdown");
  });

  it("detects Markdown by a code fence", () => {
    expect(detectFormat("Run this:\n\n```\nls\n```\n")).toBe("markdown");
  });

  it("detects Markdown by a table", () => {
    expect(detectFormat("| a | b |\n|---|---|\n| 1 | 2 |")).toBe("markdown");
  });

  it("detects the deployment guide", () => {
    expect(detectFormat(DEPLOYMENT_GUIDE)).toBe("markdown");
  });

  it("needs two kinds of inline syntax", () => {
    expect(detectFormat("See [docs](https://x.example) now.")).toBe("text");
    expect(
      detectFormat("See [docs](https://x.example) and **bold** text."),
    ).toBe("markdown");
  });

  it("reads prose with list dashes as text", () => {
    expect(detectFormat("Shopping:\n- eggs\n- milk\n\nThat is all.")).toBe(
      "text",
    );
  });
});

describe("compress input checks", () => {
  it("rejects a number as input", async () => {
    const error = await catchCoreEngineError(() =>
      compress(unchecked(42), { ratio: 2 }),
    );

    expect(error.code).toBe(INVALID);
  });

  it("rejects duplicate ids", async () => {
    const error = await catchCoreEngineError(() =>
      compress(
        [
          { id: "a", text: "One sentence." },
          { id: "a", text: "Another one." },
        ],
        { ratio: 2 },
      ),
    );

    expect(error.code).toBe(INVALID);
  });
});

describe("normalizeInput on unusual arrays", () => {
  it("rejects a sparse document list", async () => {
    // A hole, as in [, doc], is skipped by map and flatMap.
    const documents: unknown[] = new Array(2);
    documents[1] = { id: "a", text: "Some text." };
    const error = await catchCoreEngineError(() =>
      compress(unchecked(documents), { ratio: 2 }),
    );

    expect(error.code).toBe(INVALID);
    expect(error.issues.map((issue) => issue.path)).toEqual(["0"]);
  });
});
