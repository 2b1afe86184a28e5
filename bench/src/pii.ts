import { detectPii } from "@retrieval-free/security";
import type { PiiFinding, PiiType } from "@retrieval-free/security";

import { dataFile, resolveDataDirectory } from "./data-path.js";
import { readJsonLines } from "./jsonl.js";
import { formatPercent, renderTable } from "./markdown.js";
import { collectMetadata, markRunStart, renderMetadata } from "./metadata.js";
import { writeResults } from "./write-results.js";

/** Data-set labels mapped to the kinds of this package. */
const GOLD_TYPES: Readonly<Record<string, PiiType>> = {
  EMAIL_ADDRESS: "EMAIL",
  PHONE_NUMBER: "PHONE",
  CREDIT_CARD: "CREDIT_CARD",
  IBAN_CODE: "IBAN",
  US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS",
  MAC_ADDRESS: "MAC_ADDRESS",
  PERSON: "PERSON",
  LOCATION: "LOCATION",
  GPE: "LOCATION",
};

/** Kinds scored, in table order; the first six carry the F1 target. */
const SCORED: readonly PiiType[] = [
  "EMAIL",
  "PHONE",
  "CREDIT_CARD",
  "IBAN",
  "IP_ADDRESS",
  "US_SSN",
  "MAC_ADDRESS",
  "PERSON",
  "LOCATION",
];

interface GoldSpan {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
}

interface LabelledText {
  readonly text: string;
  readonly spans: readonly GoldSpan[];
}

interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Converts offsets counted in code points, as the data sets give them, to
 * UTF-16 offsets, as JavaScript strings use them.
 */
function utf16Offsets(text: string): Int32Array {
  const offsets = new Int32Array(Array.from(text).length + 1);
  let position = 0;
  let index = 0;
  for (const character of text) {
    offsets[index++] = position;
    position += character.length;
  }
  offsets[index] = position;
  return offsets;
}

function parseSynthItem(value: unknown): LabelledText {
  if (!isRecord(value) || typeof value.text !== "string") {
    throw new Error("an item needs a text");
  }
  const text = value.text;
  const offsets = utf16Offsets(text);
  const spans: GoldSpan[] = [];
  for (const span of Array.isArray(value.spans) ? value.spans : []) {
    if (!isRecord(span)) {
      continue;
    }
    const type = GOLD_TYPES[String(span.entity_type)];
    if (type !== undefined) {
      spans.push({
        type,
        start: offsets[Number(span.start)] ?? 0,
        end: offsets[Number(span.end)] ?? 0,
      });
    }
  }
  return { text, spans };
}

function parseCase(value: unknown): LabelledText | undefined {
  if (!isRecord(value) || typeof value.text !== "string") {
    throw new Error("a case needs a text");
  }
  const type = GOLD_TYPES[String(value.entity_type)];
  if (type === undefined) {
    return undefined;
  }
  const offsets = utf16Offsets(value.text);
  const spans = (Array.isArray(value.spans) ? value.spans : [])
    .filter(isRecord)
    .map((span) => ({
      type,
      start: offsets[Number(span.start)] ?? 0,
      end: offsets[Number(span.end)] ?? 0,
    }));
  return { text: value.text, spans };
}

/**
 * Scores findings against gold spans of the scored kinds: a finding
 * counts when it overlaps an unmatched gold span of its kind, each gold
 * span matches at most one finding.
 */
function score(
  items: readonly LabelledText[],
  detect: (text: string) => PiiFinding[],
): Map<PiiType, Counts> {
  const counts = new Map<PiiType, Counts>(
    SCORED.map((type) => [
      type,
      { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
    ]),
  );
  for (const item of items) {
    const found = detect(item.text).filter((finding) =>
      SCORED.includes(finding.type),
    );
    const matched = new Set<number>();
    for (const finding of found) {
      const gold = item.spans.findIndex(
        (span, index) =>
          !matched.has(index) &&
          span.type === finding.type &&
          span.start < finding.end &&
          finding.start < span.end,
      );
      const entry = counts.get(finding.type) as Counts;
      if (gold >= 0) {
        matched.add(gold);
        entry.truePositives++;
      } else {
        entry.falsePositives++;
      }
    }
    item.spans.forEach((span, index) => {
      if (!matched.has(index)) {
        (counts.get(span.type) as Counts).falseNegatives++;
      }
    });
  }
  return counts;
}

interface Scores {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly support: number;
}

function scoresOf(counts: Counts): Scores {
  const { truePositives, falsePositives, falseNegatives } = counts;
  const predicted = truePositives + falsePositives;
  const support = truePositives + falseNegatives;
  const precision = predicted === 0 ? null : truePositives / predicted;
  const recall = support === 0 ? null : truePositives / support;
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? null
      : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}

function renderScores(
  title: string,
  counts: Map<PiiType, Counts>,
): { markdown: string; json: Record<string, Scores & Counts> } {
  const json: Record<string, Scores & Counts> = {};
  const rows = SCORED.map((type) => {
    const entry = counts.get(type) as Counts;
    const scores = scoresOf(entry);
    json[type] = { ...entry, ...scores };
    return [
      type,
      String(scores.support),
      String(entry.truePositives + entry.falsePositives),
      formatPercent(scores.precision),
      formatPercent(scores.recall),
      formatPercent(scores.f1),
    ];
  });
  return {
    markdown: `## ${title}\n\n${renderTable(
      ["kind", "gold spans", "findings", "precision", "recall", "F1"],
      rows,
    )}`,
    json,
  };
}

interface PhoneExample {
  readonly region: string;
  readonly e164: string;
  readonly type: string;
}

function parsePhoneExample(value: unknown): PhoneExample {
  if (
    !isRecord(value) ||
    typeof value.region !== "string" ||
    typeof value.e164 !== "string"
  ) {
    throw new Error("an example needs region and e164");
  }
  return {
    region: value.region,
    e164: value.e164,
    type: typeof value.type === "string" ? value.type : "unknown",
  };
}

/** Share of example numbers found whole, with the right region, in a sentence. */
function phoneRecall(examples: readonly PhoneExample[]): {
  readonly found: number;
  readonly regionRight: number;
  readonly total: number;
} {
  let found = 0;
  let regionRight = 0;
  for (const example of examples) {
    const text = `Please call ${example.e164} before noon.`;
    const start = text.indexOf(example.e164);
    const hit = detectPii(text, { types: ["PHONE"] }).find(
      (finding) =>
        finding.start <= start && finding.end >= start + example.e164.length,
    );
    if (hit !== undefined) {
      found++;
      if (hit.validation.region === example.region) {
        regionRight++;
      }
    }
  }
  return { found, regionRight, total: examples.length };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const write = !argv.includes("--no-write");
  const dataDirectory = resolveDataDirectory();
  const start = markRunStart();
  const started = performance.now();
  const synth = [
    ...(await readJsonLines(
      dataFile(
        dataDirectory,
        "pii-presidio-synth/items_synth_dataset_v2.jsonl",
      ),
      parseSynthItem,
    )),
    ...(await readJsonLines(
      dataFile(dataDirectory, "pii-presidio-synth/items_generated_large.jsonl"),
      parseSynthItem,
    )),
  ];
  const cases = (
    await readJsonLines(
      dataFile(dataDirectory, "pii-presidio-recognizer-cases/cases.jsonl"),
      parseCase,
    )
  ).filter((item): item is LabelledText => item !== undefined);
  const examples = await readJsonLines(
    dataFile(
      dataDirectory,
      "pii-libphonenumber-examples/example_numbers.jsonl",
    ),
    parsePhoneExample,
  );
  const detectUs = (text: string): PiiFinding[] =>
    detectPii(text, { defaultRegion: "US" });
  const synthScores = renderScores(
    `Presidio synthetic sentences (${synth.length} texts, default region US)`,
    score(synth, detectUs),
  );
  const caseScores = renderScores(
    `Presidio recognizer test cases (${cases.length} cases of the scored kinds)`,
    score(cases, detectUs),
  );
  const phones = phoneRecall(examples);
  const seconds = (performance.now() - started) / 1000;
  const metadata = collectMetadata("pii", argv, dataDirectory, start);
  const phoneLine = `libphonenumber example numbers written in E.164 inside a sentence: ${phones.found} of ${phones.total} found whole (${formatPercent(phones.found / phones.total)}%), ${phones.regionRight} with the right region (${formatPercent(phones.regionRight / phones.total)}%).`;
  const markdown = [
    "# PII detection benchmark",
    "",
    renderMetadata(metadata),
    `- wall time: ${seconds.toFixed(1)} s`,
    "",
    "A finding counts as correct when it overlaps a gold span of the same kind that no other finding matched; findings of kinds the data set does not label are not scored. LOCATION counts the data's LOCATION and GPE labels.",
    "",
    synthScores.markdown,
    "",
    caseScores.markdown,
    "",
    "## Phone numbers",
    "",
    phoneLine,
    "",
  ].join("\n");
  console.log(markdown);
  if (write) {
    const json = {
      metadata,
      durationSeconds: seconds,
      synthetic: synthScores.json,
      recognizerCases: caseScores.json,
      phoneExamples: phones,
    };
    const paths = await writeResults({
      "pii.json": `${JSON.stringify(json, null, 2)}\n`,
      "pii.md": markdown,
    });
    console.error(`wrote ${paths.join(", ")}`);
  }
}

await main();
