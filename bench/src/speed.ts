import { dataFile, resolveDataDirectory } from "./data-path.js";
import { runMain } from "./errors.js";
import { collectMetadata, markRunStart, renderMetadata } from "./metadata.js";
import type { RunMetadata } from "./metadata.js";
import { parseSpeedArgs } from "./speed-args.js";
import type { SpeedArgs } from "./speed-args.js";
import { measureInWorker } from "./speed-process.js";
import {
  renderOutputTable,
  renderSpeedTable,
  renderStageTable,
} from "./speed-report.js";
import type { SpeedEntry } from "./speed-report.js";
import { SPEED_RATIO } from "./speed-texts.js";
import {
  measureEncoderThroughput,
  renderThroughputTable,
} from "./encoder-throughput.js";
import type { EncoderThroughput } from "./encoder-throughput.js";
import { writeResults } from "./write-results.js";

function renderReport(
  metadata: RunMetadata,
  entries: readonly SpeedEntry[],
  throughput: readonly EncoderThroughput[],
  runs: number,
  seconds: number,
): string {
  return [
    "# Speed benchmark",
    `${renderMetadata(metadata)}\n- wall time: ${seconds.toFixed(1)} s`,
    `Each text runs in its own Node.js process: load the o200k_base tokenizer, warm up once, then ${runs} rounds of gpt-tokenizer's \`countTokens(text)\` for o200k_base (the tokenizer alone, called directly), \`compress(text, { ratio: ${SPEED_RATIO}, encoder: "hashing" })\`, the same with a fixed question, the same without a question and without \`encoder\`, so with the default built-in model, and the same with \`encoder: "none"\` (lexical scoring only, no mega-tokens), all otherwise with default options, so mega-tokens are built. Times are medians over the rounds, in milliseconds. "compress / tokenize" is the ratio of the two median times; tokens/s is input tokens per second of compress; "model / hashing" and "model / lexical" are the time with the built-in model over the time with the hashing encoder and over the lexical-only time; peak RSS is \`process.resourceUsage().maxRSS\` of that process, the built-in model included.`,
    renderSpeedTable(entries),
    "Engine stage timings of the median run (ms):",
    renderStageTable(entries),
    "Output of the median run:",
    renderOutputTable(entries),
    ...(throughput.length > 0
      ? [
          "Encoder throughput on the first 10,000 units of War and Peace (median of 3 rounds after a warm-up, one thread, batches of 64):",
          renderThroughputTable(throughput),
        ]
      : []),
    "",
  ].join("\n\n");
}

async function measureTexts(
  args: SpeedArgs,
  dataDirectory: string,
): Promise<SpeedEntry[]> {
  const entries: SpeedEntry[] = [];
  for (const text of args.texts) {
    const file = dataFile(dataDirectory, text.file);
    console.error(`${text.name}: measuring ${args.runs} runs`);
    const result = await measureInWorker({
      file,
      query: text.query,
      runs: args.runs,
    });
    entries.push({ text, result });
  }
  return entries;
}

async function writeSpeedResults(
  metadata: RunMetadata,
  args: SpeedArgs,
  entries: readonly SpeedEntry[],
  throughput: readonly EncoderThroughput[],
  report: { markdown: string; seconds: number },
): Promise<void> {
  const json = {
    metadata,
    durationSeconds: report.seconds,
    settings: { tokenizer: "o200k_base", ratio: SPEED_RATIO, runs: args.runs },
    texts: entries.map(({ text, result }) => ({
      name: text.name,
      title: text.title,
      query: text.query,
      ...result,
    })),
    encoderThroughput: throughput,
  };
  const written = await writeResults({
    "speed.json": `${JSON.stringify(json, null, 2)}\n`,
    "speed.md": report.markdown,
  });
  console.error(`wrote ${written.join(", ")}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseSpeedArgs(argv);
  const dataDirectory = resolveDataDirectory();

  const start = markRunStart();
  const started = performance.now();
  const entries = await measureTexts(args, dataDirectory);
  const warAndPeace = args.texts.find((text) => text.name === "war-and-peace");
  console.error("encoder throughput: measuring");
  const throughput =
    warAndPeace === undefined
      ? []
      : await measureEncoderThroughput(
          dataFile(dataDirectory, warAndPeace.file),
        );
  const seconds = (performance.now() - started) / 1000;

  const metadata = collectMetadata("speed", argv, dataDirectory, start);
  const markdown = renderReport(
    metadata,
    entries,
    throughput,
    args.runs,
    seconds,
  );
  console.log(markdown);
  if (args.write) {
    await writeSpeedResults(metadata, args, entries, throughput, {
      markdown,
      seconds,
    });
  }
}

runMain(main);
