import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** One input of the training corpus and where it comes from. */
export interface CorpusSource {
  readonly name: string;
  /** Files read, relative to the data or WordNet folder. */
  readonly files: readonly string[];
  readonly license: string;
  /** SHA-256 of the files' bytes in order, so a rebuild can check its inputs. */
  readonly sha256: string;
}

/** A WordNet synset: its single-word and multi-word lemmas and its gloss. */
export interface Synset {
  readonly lemmas: readonly string[];
  readonly gloss: string;
}

/** Everything the trainer reads: running texts and WordNet synsets. */
export interface Corpus {
  /** Paragraphs or documents; co-occurrence windows never cross them. */
  readonly texts: readonly string[];
  readonly synsets: readonly Synset[];
  readonly sources: readonly CorpusSource[];
}

interface LoadedFile {
  readonly path: string;
  readonly bytes: Buffer;
}

async function load(folder: string, files: readonly string[]) {
  const loaded: LoadedFile[] = [];
  for (const file of files) {
    loaded.push({ path: file, bytes: await readFile(join(folder, file)) });
  }
  const hash = createHash("sha256");
  loaded.forEach((file) => hash.update(file.bytes));
  return { loaded, sha256: hash.digest("hex") };
}

function jsonLines(bytes: Buffer): Record<string, unknown>[] {
  return bytes
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function paragraphsOf(row: Record<string, unknown>): string[] {
  const paragraphs = row.paragraphs;
  return Array.isArray(paragraphs)
    ? paragraphs.filter((value): value is string => typeof value === "string")
    : [];
}

const LONG_TEXTS = [
  "long-texts/war_and_peace_pg2600.txt",
  "long-texts/moby_dick_pg2701.txt",
  "long-texts/rfc2616.txt",
];
const ARTICLES = [
  "squad-dev/articles_v1.1.jsonl",
  "squad-dev/articles_v2.0.jsonl",
];
const PASSAGES = [
  "hotpotqa-dev-sample100/items.jsonl",
  "nq-open-oracle/items_first1000.jsonl",
];
const WORDNET_FILES = ["data.noun", "data.verb", "data.adj", "data.adv"];

/**
 * Parses WordNet 3.0 data files: each synset line holds its lemmas
 * (underscores between the words of a multi-word lemma) and, after "|",
 * its gloss. License text lines start with spaces and are skipped.
 */
function parseWordNet(bytes: Buffer): Synset[] {
  const synsets: Synset[] = [];
  for (const line of bytes.toString("utf8").split("\n")) {
    if (line === "" || line.startsWith(" ")) {
      continue;
    }
    const bar = line.indexOf(" | ");
    const fields = line.slice(0, bar < 0 ? line.length : bar).split(" ");
    const count = Number.parseInt(fields[3] ?? "0", 16);
    const lemmas: string[] = [];
    for (let index = 0; index < count; index++) {
      const lemma = fields[4 + index * 2];
      if (lemma !== undefined) {
        lemmas.push(lemma.replace(/\(.*\)$/u, "").replaceAll("_", " "));
      }
    }
    synsets.push({ lemmas, gloss: bar < 0 ? "" : line.slice(bar + 3) });
  }
  return synsets;
}

/**
 * Reads the training corpus: the long public-domain texts, the SQuAD
 * articles, the HotpotQA and Natural Questions passages from `dataFolder`,
 * and the WordNet 3.0 database from `wordnetFolder` (Debian's
 * wordnet-base package installs it in /usr/share/wordnet).
 */
export async function readCorpus(
  dataFolder: string,
  wordnetFolder: string,
): Promise<Corpus> {
  const texts: string[] = [];
  const sources: CorpusSource[] = [];

  const long = await load(dataFolder, LONG_TEXTS);
  for (const file of long.loaded) {
    texts.push(...file.bytes.toString("utf8").split(/\r?\n\s*\r?\n/u));
  }
  sources.push({
    name: "War and Peace, Moby Dick (Project Gutenberg) and RFC 2616",
    files: LONG_TEXTS,
    license:
      "Public domain in the USA (Project Gutenberg #2600, #2701); RFC 2616 under its Full Copyright Statement (IETF)",
    sha256: long.sha256,
  });

  const articles = await load(dataFolder, ARTICLES);
  for (const file of articles.loaded) {
    for (const row of jsonLines(file.bytes)) {
      texts.push(...paragraphsOf(row));
    }
  }
  sources.push({
    name: "SQuAD v1.1 and v2.0 development articles (Wikipedia)",
    files: ARTICLES,
    license: "CC BY-SA 4.0 (SQuAD, Rajpurkar et al.; text from Wikipedia)",
    sha256: articles.sha256,
  });

  const passages = await load(dataFolder, PASSAGES);
  for (const file of passages.loaded) {
    for (const row of jsonLines(file.bytes)) {
      texts.push(...paragraphsOf(row));
    }
  }
  sources.push({
    name: "HotpotQA and Natural Questions passages (Wikipedia)",
    files: PASSAGES,
    license:
      "CC BY-SA 4.0 (HotpotQA); CC BY-SA 3.0 (Natural Questions); passages from Wikipedia (CC BY-SA)",
    sha256: passages.sha256,
  });

  const wordnet = await load(wordnetFolder, WORDNET_FILES);
  const synsets = wordnet.loaded.flatMap((file) => parseWordNet(file.bytes));
  sources.push({
    name: "WordNet 3.0 (Debian package wordnet-base)",
    files: WORDNET_FILES,
    license:
      "WordNet 3.0 license: use, copy, modify and distribute with the copyright notice. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.",
    sha256: wordnet.sha256,
  });
  return { texts, synsets, sources };
}
