import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { DEPLOYMENT_GUIDE } from "../test-support/documents.js";
import { spansCutRange } from "../test-support/provenance.js";
import { createRandom } from "../test-support/random.js";
import { cutsInside, segmentText, unitTexts } from "../test-support/segment.js";
import { parseMarkdown } from "./markdown.js";

const SHELL_BLOCK = [
  "```sh",
  "sudo apt-get update",
  "sudo apt-get install -y postgresql-client nodejs",
  "node --version",
  "```",
].join("\n");

const TABLE_HEADER = [
  "| Variable | Meaning | Example |",
  "|----------|---------|---------|",
].join("\n");

const TABLE_ROWS = [
  "| `DATABASE_URL` | Connection string of the reporting database | `postgres://report@db:5432/report` |",
  "| `PORT` | Port the HTTP server listens on | `8080` |",
  "| `LOG_LEVEL` | Minimum level of log records | `info` |",
  "| `CACHE_TTL` | Seconds a cached report stays valid | `300` |",
];

const GUIDE_RATIOS = [1.5, 2, 3, 4, 6];
const GUIDE_QUERIES = [
  undefined,
  "Which environment variable sets the port?",
  "How do I install the database client?",
];

function rangeOf(text: string, part: string): { start: number; end: number } {
  const start = text.indexOf(part);
  if (start < 0) {
    throw new Error(`The fixture does not contain ${JSON.stringify(part)}.`);
  }
  return { start, end: start + part.length };
}

function fencedBlockRanges(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  const fence = /^```[a-z]*\n[\s\S]*?\n```$/gm;
  for (const match of text.matchAll(fence)) {
    ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return ranges;
}

function linkAndUrlRanges(text: string): { start: number; end: number }[] {
  const pattern = /\[[^\]]+\]\([^)]+\)|<[^>\s]+@[^>\s]+>|https?:\/\/[^\s)>`]+/g;
  return Array.from(text.matchAll(pattern), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

async function compressGuide(
  ratio: number,
  query: string | undefined,
): Promise<Awaited<ReturnType<typeof compress>>> {
  return compress(
    [{ id: "guide", text: DEPLOYMENT_GUIDE, format: "markdown" }],
    query === undefined ? { ratio } : { ratio, query },
  );
}

function tableRowTexts(markdown: string): string[] {
  const rows: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "tableRow") {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? 0;
      rows.push(markdown.slice(start, end));
      return;
    }
    if ("children" in node) {
      for (const child of node.children) {
        visit(child);
      }
    }
  };
  visit(parseMarkdown(markdown));
  return rows;
}

describe("segmentMarkdown", () => {
  it("recognises ATX headings as sections", () => {
    const text = "# Title\n\nIntro text.\n\n## Part two\n\nBody text.";
    const { corpus, units } = segmentText(text, "markdown");

    expect(units.map((unit) => [unit.kind, unit.text])).toEqual([
      ["heading", "# Title"],
      ["sentence", "Intro text."],
      ["heading", "## Part two"],
      ["sentence", "Body text."],
    ]);
    expect(corpus.sections.map((section) => section.level)).toEqual([1, 2]);
    expect(corpus.sections.map((section) => section.headingUnit)).toEqual([
      0, 2,
    ]);
  });

  it("recognises setext headings", () => {
    const text = "Title\n=====\n\nSome text.\n\nPart\n----\n\nMore text.";
    const { corpus, units } = segmentText(text, "markdown");

    expect(units.filter((unit) => unit.kind === "heading")).toHaveLength(2);
    expect(corpus.sections.map((section) => section.level)).toEqual([1, 2]);
  });

  it("keeps a fenced code block whole", () => {
    const code = "```python\nprint('a. B')\n\n\nx = 1. + 2\nprint(x)\n```";
    const text = `Intro sentence.\n\n${code}\n\nClosing sentence.`;
    const { units } = segmentText(text, "markdown");
    const codeUnits = units.filter((unit) => unit.kind === "code");

    expect(codeUnits).toHaveLength(1);
    expect(codeUnits[0]?.text).toBe(code);
  });

  it("keeps an indented code block whole", () => {
    const text = "Intro sentence.\n\n    first. Line\n    second line\n";
    const codeUnits = segmentText(text, "markdown").units.filter(
      (unit) => unit.kind === "code",
    );

    expect(codeUnits.map((unit) => unit.text)).toEqual([
      "first. Line\n    second line",
    ]);
  });

  it("makes the table header one unit", () => {
    const text = `${TABLE_HEADER}\n${TABLE_ROWS.join("\n")}`;
    const { units } = segmentText(text, "markdown");

    expect(units[0]?.kind).toBe("table-header");
    expect(units[0]?.text).toBe(TABLE_HEADER);
  });

  it("makes each table row a unit requiring the header", () => {
    const text = `${TABLE_HEADER}\n${TABLE_ROWS.join("\n")}`;
    const { units } = segmentText(text, "markdown");
    const rows = units.filter((unit) => unit.kind === "table-row");

    expect(rows.map((row) => row.text)).toEqual(TABLE_ROWS);
    expect(rows.map((row) => row.requires)).toEqual(TABLE_ROWS.map(() => 0));
  });

  it("segments a table without outer pipes", () => {
    const text = "Name | Qty\n:--- | ---:\napple | 3\npear | 4";
    const { units } = segmentText(text, "markdown");

    expect(units.map((unit) => [unit.kind, unit.text])).toEqual([
      ["table-header", "Name | Qty\n:--- | ---:"],
      ["table-row", "apple | 3"],
      ["table-row", "pear | 4"],
    ]);
  });

  it("starts each bullet item with its marker", () => {
    const text = "- First item. It has two sentences.\n- Second item.";

    expect(unitTexts(text, "markdown")).toEqual([
      "- First item.",
      "It has two sentences.",
      "- Second item.",
    ]);
  });

  it("keeps an ordered item number with its text", () => {
    const text = "1. Open the valve slowly.\n2. Close the valve.\n10. Log it.";

    expect(unitTexts(text, "markdown")).toEqual([
      "1. Open the valve slowly.",
      "2. Close the valve.",
      "10. Log it.",
    ]);
  });

  it("keeps the quote marker with the first sentence", () => {
    expect(unitTexts("> Quoted text. More text.", "markdown")).toEqual([
      "> Quoted text.",
      "More text.",
    ]);
  });

  it("never cuts inside link text or inline code", () => {
    const text =
      "Run `make build. Then` now. Read [Fig. A. Next](https://x.example/z) today. Done.";

    expect(unitTexts(text, "markdown")).toEqual([
      "Run `make build. Then` now.",
      "Read [Fig. A. Next](https://x.example/z) today.",
      "Done.",
    ]);
  });

  it("never cuts links when windowing a long sentence", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = createRandom(seed);
      const atoms: string[] = [];
      const words: string[] = [];
      for (let index = 0; index < 500; index++) {
        const draw = random.next();
        let word = random.pick(["words", "that", "run", "along", "here"]);
        if (draw < 0.08) {
          word = `[release notes of version ${index}. See More](https://example.com/notes/${index}?a=1&b=2)`;
        } else if (draw < 0.16) {
          word = "`npm run build -- --filter=core. Then test`";
        } else if (draw < 0.2) {
          word = "https://example.org/a/b/c?d=e";
        }
        if (draw < 0.2) {
          atoms.push(word);
        }
        words.push(word);
      }
      const text = `# Heading\n\n${words.join(" ")}.\n`;
      const { corpus } = segmentText(text, "markdown");
      let from = 0;
      const cuts: number[] = [];
      for (const atom of atoms) {
        const start = text.indexOf(atom, from);
        from = start + atom.length;
        cuts.push(...cutsInside(corpus, start, from));
      }

      expect(corpus.units.length).toBeGreaterThan(3);
      expect(cuts).toEqual([]);
    }
  });
});

describe("compress on Markdown", () => {
  it("keeps code blocks whole or drops them", async () => {
    const blocks = fencedBlockRanges(DEPLOYMENT_GUIDE);
    expect(blocks).toHaveLength(2);
    for (const ratio of GUIDE_RATIOS) {
      for (const query of GUIDE_QUERIES) {
        const result = await compressGuide(ratio, query);
        const cut = blocks.filter((block) =>
          spansCutRange(result.spans, "guide", block.start, block.end),
        );

        expect(cut).toEqual([]);
      }
    }
  });

  it("keeps the shell block byte-exact", async () => {
    const result = await compressGuide(1.5, "How do I install the client?");

    expect(result.text).toContain(SHELL_BLOCK);
  });

  it("keeps the table header with every kept row", async () => {
    for (const ratio of GUIDE_RATIOS) {
      for (const query of GUIDE_QUERIES) {
        const result = await compressGuide(ratio, query);
        const keptRows = TABLE_ROWS.filter((row) => result.text.includes(row));
        if (keptRows.length > 0) {
          expect(result.text).toContain(TABLE_HEADER);
        }
        const rowRanges = TABLE_ROWS.map((row) =>
          rangeOf(DEPLOYMENT_GUIDE, row),
        );
        const cutRows = rowRanges.filter((range) =>
          spansCutRange(result.spans, "guide", range.start, range.end),
        );

        expect(cutRows).toEqual([]);
      }
    }
  });

  it("keeps kept rows inside a rendered table", async () => {
    for (const ratio of GUIDE_RATIOS) {
      for (const query of GUIDE_QUERIES) {
        const result = await compressGuide(ratio, query);
        const keptRows = TABLE_ROWS.filter((row) => result.text.includes(row));
        const renderedRows = tableRowTexts(result.text);
        const outsideTable = keptRows.filter(
          (row) => !renderedRows.includes(row),
        );

        expect(outsideTable).toEqual([]);
      }
    }
  });

  it("never cuts links, URLs or e-mail addresses", async () => {
    const atoms = linkAndUrlRanges(DEPLOYMENT_GUIDE);
    expect(atoms).toHaveLength(3);
    for (const ratio of GUIDE_RATIOS) {
      for (const query of GUIDE_QUERIES) {
        const result = await compressGuide(ratio, query);
        const cut = atoms.filter((atom) =>
          spansCutRange(result.spans, "guide", atom.start, atom.end),
        );

        expect(cut).toEqual([]);
      }
    }
  });
});

describe("segmentMarkdown after a leading BOM", () => {
  // Some editors, such as older Windows Notepad, save UTF-8 with a byte
  // order mark, and Node's readFile keeps it as U+FEFF at offset 0.
  const BOM_DOCUMENT =
    "\uFEFF# Budget 2024\n\nWe paid 1,250 EUR to KX-4471-B.\n\n## Next step\n\nPay the rest in May.";

  it("keeps unit offsets on the text", () => {
    expect(unitTexts(BOM_DOCUMENT, "markdown")).toEqual([
      "# Budget 2024",
      "We paid 1,250 EUR to KX-4471-B.",
      "## Next step",
      "Pay the rest in May.",
    ]);
  });

  it("keeps a fitting document whole", async () => {
    const result = await compress(
      [{ id: "budget.md", text: BOM_DOCUMENT, format: "markdown" }],
      { targetTokens: 1000 },
    );

    // The BOM counts as white space, so the output may leave it out.
    expect(result.text.replace(/^\uFEFF/u, "")).toBe(BOM_DOCUMENT.slice(1));
  });

  it("keeps ids and years whole", async () => {
    const result = await compress(
      [{ id: "budget.md", text: BOM_DOCUMENT, format: "markdown" }],
      { targetTokens: 1000 },
    );
    const id = rangeOf(BOM_DOCUMENT, "KX-4471-B");
    const year = rangeOf(BOM_DOCUMENT, "2024");

    expect(spansCutRange(result.spans, "budget.md", id.start, id.end)).toBe(
      false,
    );
    expect(spansCutRange(result.spans, "budget.md", year.start, year.end)).toBe(
      false,
    );
  });
});
