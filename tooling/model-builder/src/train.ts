import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { readCorpus } from "./corpus.js";
import { trainWordEmbeddings } from "./embeddings.js";
import type { TrainingSettings } from "./embeddings.js";
import { buildVocabulary } from "./vocabulary.js";
import type { PieceSettings } from "./vocabulary.js";
import { wordInformationFile } from "./information.js";
import { writeModelFolder } from "./write-model.js";

/** Settings of the built-in model. Changing any of them changes its bytes. */
const TRAINING: TrainingSettings = {
  maxWords: 40_000,
  minCount: 3,
  contexts: 8192,
  skipContexts: 60,
  window: 8,
  contextSmoothing: 0.75,
  dimension: 256,
  oversample: 16,
  powerIterations: 2,
  seed: 1,
  singularWeight: 0.5,
};

const PIECES: PieceSettings = {
  continuationWords: 5000,
  endings: 2000,
  endingWeight: 0.3,
  characterWeight: 0.1,
  frequencyWeight: 1e-3,
};

const COMMAND = "pnpm model:build";

const USAGE = `usage: node tooling/model-builder/dist/train.js --out DIR [--check] [--data DIR] [--wordnet DIR]
  --out DIR      folder to write the model into
  --check        build into a temporary folder and compare with the model in --out
  --data DIR     the shared data folder (default: ../shared/data, then /work/shared/data)
  --wordnet DIR  WordNet 3.0 database (default: /usr/share/wordnet, from Debian's wordnet-base)`;

function fail(message: string): never {
  process.stderr.write(`model-builder: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function dataFolder(option: string | undefined): string {
  const candidates =
    option === undefined
      ? [resolve("../shared/data"), "/work/shared/data"]
      : [resolve(option)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    fail(
      `no data folder found (looked in ${candidates.join(", ")}); pass --data DIR.`,
    );
  }
  return found;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      data: { type: "string" },
      wordnet: { type: "string" },
      check: { type: "boolean" },
    },
  });
  if (values.out === undefined) {
    fail("--out is required.");
  }
  const wordnet = resolve(values.wordnet ?? "/usr/share/wordnet");
  if (!existsSync(`${wordnet}/data.noun`)) {
    fail(
      `${wordnet} holds no WordNet database (data.noun is missing); install Debian's wordnet-base package or pass --wordnet DIR.`,
    );
  }
  const started = performance.now();
  const log = (message: string): void => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`[${seconds} s] ${message}\n`);
  };
  const corpus = await readCorpus(dataFolder(values.data), wordnet);
  log(`read ${corpus.texts.length} texts and ${corpus.synsets.length} synsets`);
  const embeddings = trainWordEmbeddings(corpus, TRAINING, log);
  const entries = buildVocabulary(embeddings, PIECES);
  log(`${entries.length} tokens in the vocabulary`);
  const target = resolve(values.out);
  const folder =
    values.check === true
      ? await mkdtemp(join(tmpdir(), "rf-model-check-"))
      : target;
  const checksums = await writeModelFolder(
    folder,
    entries,
    TRAINING.dimension,
    {
      name: "retrieval-free-static",
      version: "1.1.0",
      source: "urn:retrieval-free:built-in-model",
      description:
        "Static word and subword embeddings learned from co-occurrence statistics (PPMI and truncated SVD) over public texts and WordNet, pooled by a masked mean and scaled to unit length.",
      license:
        "CC BY-SA 4.0, as the weights derive from CC BY-SA texts; it includes information from WordNet 3.0, Copyright 2006 by Princeton University. All rights reserved.",
      command: COMMAND,
      settings: { training: TRAINING, pieces: PIECES },
      sources: corpus.sources,
    },
    wordInformationFile(corpus.texts),
  );
  for (const [name, sum] of Object.entries(checksums)) {
    log(`${name} ${sum}`);
  }
  if (values.check === true) {
    await compareWithManifest(target, checksums);
    await rm(folder, { recursive: true, force: true });
  }
}

/** Exits with status 1 unless every checksum equals the one in the manifest. */
async function compareWithManifest(
  folder: string,
  checksums: Readonly<Record<string, string>>,
): Promise<void> {
  const manifest = JSON.parse(
    await readFile(join(folder, "manifest.json"), "utf8"),
  ) as { files: { path: string; sha256: string }[] };
  const differing = manifest.files.filter(
    (file) => checksums[file.path] !== file.sha256,
  );
  if (differing.length > 0) {
    process.stderr.write(
      `model-builder: the rebuilt ${differing.map((file) => file.path).join(", ")} differ from ${folder}/manifest.json.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `model-builder: the rebuild is byte-identical to ${folder}.\n`,
  );
}

await main();
