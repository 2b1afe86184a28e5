import { beforeAll, describe, expect, it } from "vitest";

import { compress } from "./compress.js";
import {
  dataDir,
  dataPath,
  firstPerTitle,
  LONG_TEXTS,
  qaContext,
  readJsonLines,
  readLongText,
} from "./test-support/data.js";
import type { QaItem } from "./test-support/data.js";
import {
  CHINESE_PARAGRAPHS,
  DEPLOYMENT_GUIDE,
  EXPENSE_REPORT_PARAGRAPHS,
} from "./test-support/documents.js";
import { findProvenanceProblems } from "./test-support/provenance.js";
import type { SourceDocument } from "./test-support/provenance.js";
import { createRandom } from "./test-support/random.js";
import { generateProse, wrapText } from "./test-support/text.js";
import { loadTokenizer } from "./tokenizer.js";
import type { TokenCounter } from "./tokenizer.js";
import type { CompressInput, CompressResult, InputDocument } from "./types.js";

/** Problems found over many compressions, each labelled with its run. */
interface Findings {
  readonly provenance: string[];
  readonly budget: string[];
}

let counter: TokenCounter;

beforeAll(async () => {
  counter = await loadTokenizer("o200k_base");
});

function emptyFindings(): Findings {
  return { provenance: [], budget: [] };
}

function record(
  findings: Findings,
  label: string,
  result: CompressResult,
  documents: readonly SourceDocument[],
): void {
  for (const problem of findProvenanceProblems(result, documents)) {
    findings.provenance.push(`${label}: ${problem}`);
  }
  const counted = counter.count(result.text);
  if (result.compressedTokens !== counted) {
    findings.budget.push(
      `${label}: compressedTokens ${result.compressedTokens} but the text has ${counted}`,
    );
  }
  if (counted > result.request.budgetTokens) {
    findings.budget.push(
      `${label}: ${counted} tokens over the budget of ${result.request.budgetTokens}`,
    );
  }
}

async function run(
  findings: Findings,
  label: string,
  input: CompressInput,
  ratio: number,
  query: string | undefined,
): Promise<CompressResult> {
  const documents: SourceDocument[] =
    typeof input === "string" ? [{ id: "0", text: input }] : [...input];
  const result = await compress(
    input,
    query === undefined ? { ratio } : { ratio, query },
  );
  record(
    findings,
    `${label} at ratio ${ratio} ${query === undefined ? "without" : "with"} a query`,
    result,
    documents,
  );
  return result;
}

async function runQaItems(
  items: readonly QaItem[],
  ratios: readonly number[],
): Promise<Findings> {
  const findings = emptyFindings();
  for (const item of items) {
    for (const ratio of ratios) {
      for (const query of [undefined, item.question]) {
        await run(findings, item.id, qaContext(item), ratio, query);
      }
    }
  }
  return findings;
}

describe("compress provenance on generated text", () => {
  it("keeps spans exact in mixed documents", async () => {
    const random = createRandom(77);
    const prose = generateProse(random, 8000);
    const documents: InputDocument[] = [
      { id: "prose", text: prose },
      { id: "wrapped", text: `\uFEFF${wrapText(prose, 72, "\r\n")}` },
      { id: "guide", text: DEPLOYMENT_GUIDE },
      { id: "report", text: EXPENSE_REPORT_PARAGRAPHS.join("\n\n") },
      { id: "chinese", text: CHINESE_PARAGRAPHS.join("\n\n") },
    ];
    const findings = emptyFindings();
    for (const ratio of [1.5, 3, 7]) {
      for (const query of [undefined, "Who approved the warehouse budget?"]) {
        await run(findings, "mixed documents", documents, ratio, query);
      }
    }

    expect(findings.provenance).toEqual([]);
    expect(findings.budget).toEqual([]);
  });
});

describe.skipIf(dataDir === undefined)(
  "compress provenance on the shared data sets (needs the data directory)",
  () => {
    it("keeps SQuAD v1.1 spans exact", async () => {
      const items = firstPerTitle(
        await readJsonLines<QaItem>(
          dataPath("squad-dev", "items_v1.1_sample.jsonl"),
        ),
        6,
      );
      const findings = await runQaItems(items, [2, 4, 8]);

      expect(items).toHaveLength(6);
      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });

    it("keeps SQuAD v2.0 spans exact", async () => {
      const all = await readJsonLines<QaItem>(
        dataPath("squad-dev", "items_v2.0_sample.jsonl"),
      );
      const items = [
        ...firstPerTitle(
          all.filter((item) => item.is_impossible === true),
          2,
        ),
        ...firstPerTitle(
          all.filter((item) => item.is_impossible !== true),
          2,
        ),
      ];
      const findings = await runQaItems(items, [3, 6]);

      expect(items).toHaveLength(4);
      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });

    it("keeps HotpotQA spans exact", async () => {
      const items = await readJsonLines<QaItem>(
        dataPath("hotpotqa-dev-sample100", "items.jsonl"),
        10,
      );
      const findings = await runQaItems(items, [2, 4]);

      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });

    it("keeps HotpotQA paragraphs as documents", async () => {
      const items = await readJsonLines<QaItem>(
        dataPath("hotpotqa-dev-sample100", "items.jsonl"),
        5,
      );
      const findings = emptyFindings();
      for (const item of items) {
        const documents = item.paragraphs.map((text, index) => ({
          id: `${item.id}/${index}`,
          text,
        }));
        for (const ratio of [2, 5]) {
          await run(findings, item.id, documents, ratio, item.question);
        }
      }

      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });

    it("keeps NQ passages exact", async () => {
      const items = await readJsonLines<QaItem>(
        dataPath("nq-open-oracle", "items_first1000.jsonl"),
        12,
      );
      const documents = items.map((item) => ({
        id: item.id,
        text: qaContext(item),
      }));
      const findings = emptyFindings();
      for (const item of items.slice(0, 4)) {
        await run(findings, "NQ passages", documents, 3, item.question);
      }
      await run(findings, "NQ passages", documents, 3, undefined);

      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });

    it.each([
      ["war_and_peace_pg2600.txt", 20, undefined],
      ["moby_dick_pg2701.txt", 10, "Why does Ahab hunt the white whale?"],
      ["rfc2616.txt", 5, "When does a server return 304 Not Modified?"],
    ] as const)("keeps %s spans exact", async (name, ratio, query) => {
      expect(LONG_TEXTS).toContain(name);
      const text = readLongText(name);
      const findings = emptyFindings();
      const result = await run(findings, name, text, ratio, query);

      expect(result.spans.length).toBeGreaterThan(100);
      expect(findings.provenance).toEqual([]);
      expect(findings.budget).toEqual([]);
    });
  },
);
