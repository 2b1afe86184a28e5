import { HashingEncoder, loadTokenizer } from "@retrieval-free/core-engine";
import type { Encoder } from "@retrieval-free/core-engine";
import { loadBuiltInEncoder } from "@retrieval-free/core-engine/node";

import {
  ARTICLE_SETS,
  QUESTION_FREE_METHODS,
  renderArticleSection,
  runArticleSet,
} from "./article-questions.js";
import type { ArticleSetResult } from "./article-questions.js";
import { resolveDataDirectory } from "./data-path.js";
import { AnomalyLog } from "./engine-checks.js";
import type { Anomaly } from "./engine-checks.js";
import { runMain } from "./errors.js";
import { renderTable } from "./markdown.js";
import { collectMetadata, markRunStart, renderMetadata } from "./metadata.js";
import type { RunMetadata } from "./metadata.js";
import {
  isEngineMethod,
  METHOD_LABELS,
  RANDOM_SEEDS,
  usesBuiltInModel,
} from "./methods.js";
import { parseQualityArgs } from "./quality-args.js";
import type { QualityArgs } from "./quality-args.js";
import { renderSetSection } from "./quality-report.js";
import { runQualitySet } from "./quality-runner.js";
import type { SetResult } from "./quality-runner.js";
import {
  measureRoutingRecall,
  renderRoutingSection,
} from "./routing-recall.js";
import type { RoutingRecall } from "./routing-recall.js";
import { renderQualityChart } from "./svg-chart.js";
import { writeResults } from "./write-results.js";

/** Items between two progress lines on stderr. */
const PROGRESS_EVERY = 25;

const METHOD_NOTES = `Every method gets the same budget: floor(original tokens / ratio), counted with o200k_base on the context (all paragraphs joined by a blank line). The engine runs with \`megaTokens: false\`, with the hashing encoder (\`encoder: "hashing"\`), or in the "built-in model" rows the model that ships in the package (\`loadBuiltInEncoder\`), or in the "lexical only" rows no encoder (\`encoder: "none"\`). Head truncation keeps the longest prefix ending at a word end. Random sentences (mean of seeds ${RANDOM_SEEDS.join(", ")}) and BM25 top sentences add \`Intl.Segmenter\` sentences in their order, skipping any that would overflow, and join the kept ones in source order with " … ". Answers and supporting facts count as kept when their SQuAD-normalised text is a substring of the normalised output.`;

function renderAnomalies(log: AnomalyLog): string {
  const totals = Object.entries(log.totals);
  if (totals.length === 0) {
    return "No engine crash, budget violation, provenance failure, count mismatch or under-filled output.";
  }
  const summary = totals.map(([kind, count]) => `${kind}: ${count}`).join(", ");
  const rows = log.firstCases.map((anomaly: Anomaly) => [
    anomaly.kind,
    anomaly.set,
    METHOD_LABELS[anomaly.method],
    `${anomaly.ratio}×`,
    anomaly.itemId,
    anomaly.detail,
  ]);
  return [
    `Totals: ${summary}. First cases of each kind:`,
    renderTable(
      ["finding", "set", "method", "ratio", "item", "detail"],
      rows,
      "left",
    ),
  ].join("\n\n");
}

interface QualityResults {
  readonly sets: readonly SetResult[];
  readonly articleSets: readonly ArticleSetResult[];
  readonly routing: readonly RoutingRecall[];
}

function renderReport(
  metadata: RunMetadata,
  { sets: results, articleSets, routing }: QualityResults,
  log: AnomalyLog,
  seconds: number,
): string {
  const engineRan = results.some((result) =>
    result.cells.some((cell) => cell.engine !== undefined),
  );
  return [
    "# Quality benchmark",
    `${renderMetadata(metadata)}\n- wall time: ${seconds.toFixed(1)} s`,
    METHOD_NOTES,
    ...results.map(renderSetSection),
    ...articleSets.map(renderArticleSection),
    ...(routing.length > 0 ? [renderRoutingSection(routing)] : []),
    ...(engineRan ? ["## Engine findings", renderAnomalies(log)] : []),
    "",
  ].join("\n\n");
}

async function runSets(
  args: QualityArgs,
  dataDirectory: string,
  log: AnomalyLog,
  builtInEncoder: Encoder | undefined,
): Promise<SetResult[]> {
  const counter = await loadTokenizer("o200k_base");
  const results: SetResult[] = [];
  for (const set of args.sets) {
    const started = performance.now();
    console.error(`${set.name}: started`);
    const result = await runQualitySet(set, {
      dataDirectory,
      counter,
      methods: args.methods,
      ratios: args.ratios,
      limit: args.limit,
      anomalies: log,
      builtInEncoder,
      onProgress: (name, done, total) => {
        if (done % PROGRESS_EVERY === 0 && done < total) {
          console.error(`${name}: ${done}/${total} items`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    console.error(
      `${set.name}: ${result.items} items done in ${seconds.toFixed(1)} s`,
    );
    results.push(result);
  }
  return results;
}

async function runArticleSets(
  args: QualityArgs,
  dataDirectory: string,
  builtInEncoder: Encoder | undefined,
): Promise<ArticleSetResult[]> {
  if (!args.methods.some((method) => QUESTION_FREE_METHODS.includes(method))) {
    return [];
  }
  const counter = await loadTokenizer("o200k_base");
  const results: ArticleSetResult[] = [];
  for (const set of ARTICLE_SETS) {
    if (!args.sets.some((selected) => selected.name === set.name)) {
      continue;
    }
    const started = performance.now();
    console.error(`${set.name} articles: started`);
    const result = await runArticleSet(set, {
      dataDirectory,
      counter,
      methods: args.methods,
      ratios: args.ratios,
      limit: args.limit,
      builtInEncoder,
    });
    const seconds = (performance.now() - started) / 1000;
    console.error(
      `${set.name} articles: ${result.articles} articles done in ${seconds.toFixed(1)} s`,
    );
    results.push(result);
  }
  return results;
}

/**
 * Measures routing recall on HotpotQA with the hashing encoder and, when
 * it is loaded, the built-in model, if the run includes that set and an
 * engine method.
 */
async function runRouting(
  args: QualityArgs,
  dataDirectory: string,
  builtInEncoder: Encoder | undefined,
): Promise<RoutingRecall[]> {
  if (
    !args.sets.some((set) => set.name === "hotpot") ||
    !args.methods.some(isEngineMethod)
  ) {
    return [];
  }
  console.error("hotpot routing: started");
  const encoders = [
    { label: "hashing encoder", encoder: new HashingEncoder() },
    ...(builtInEncoder === undefined
      ? []
      : [{ label: "built-in model", encoder: builtInEncoder }]),
  ];
  return measureRoutingRecall(dataDirectory, encoders, args.limit);
}

async function writeQualityResults(
  metadata: RunMetadata,
  args: QualityArgs,
  results: QualityResults,
  log: AnomalyLog,
  report: { markdown: string; seconds: number },
): Promise<void> {
  const json = {
    metadata,
    durationSeconds: report.seconds,
    settings: {
      tokenizer: "o200k_base",
      ratios: args.ratios,
      methods: args.methods,
      randomSeeds: RANDOM_SEEDS,
      limit: args.limit ?? null,
    },
    sets: results.sets,
    articleSets: results.articleSets,
    routing: results.routing,
    anomalies: { totals: log.totals, firstCases: log.firstCases },
  };
  const written = await writeResults({
    "quality.json": `${JSON.stringify(json, null, 2)}\n`,
    "quality.md": report.markdown,
    "quality.svg": renderQualityChart(results.sets),
  });
  console.error(`wrote ${written.join(", ")}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseQualityArgs(argv);
  const dataDirectory = resolveDataDirectory();

  const start = markRunStart();
  const started = performance.now();
  const log = new AnomalyLog();
  const builtInEncoder = args.methods.some(usesBuiltInModel)
    ? await loadBuiltInEncoder({ batchSize: 64 })
    : undefined;
  const results = {
    sets: await runSets(args, dataDirectory, log, builtInEncoder),
    articleSets: await runArticleSets(args, dataDirectory, builtInEncoder),
    routing: await runRouting(args, dataDirectory, builtInEncoder),
  };
  const seconds = (performance.now() - started) / 1000;

  const metadata = collectMetadata("quality", argv, dataDirectory, start);
  const markdown = renderReport(metadata, results, log, seconds);
  console.log(markdown);
  if (args.write) {
    await writeQualityResults(metadata, args, results, log, {
      markdown,
      seconds,
    });
  }
}

runMain(main);
