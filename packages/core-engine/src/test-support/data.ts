import { createReadStream, existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Environment variable that points at the shared test data directory. */
export const DATA_DIR_VARIABLE = "RETRIEVAL_FREE_DATA";

const FALLBACK_DATA_DIR = "/work/shared/data";

function findRepositoryRoot(from: string): string | undefined {
  let directory = from;
  for (;;) {
    if (existsSync(join(directory, "pnpm-workspace.yaml"))) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      return undefined;
    }
    directory = parent;
  }
}

/**
 * Finds the test data directory: `$RETRIEVAL_FREE_DATA` when set, else
 * `../shared/data` relative to the repository root, else
 * `/work/shared/data`. Returns undefined when the directory is missing,
 * so that tests needing the data can be skipped.
 */
export function locateDataDir(
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const configured = environment[DATA_DIR_VARIABLE];
  if (configured !== undefined && configured.length > 0) {
    return existsSync(configured) ? resolve(configured) : undefined;
  }
  const root = findRepositoryRoot(dirname(fileURLToPath(import.meta.url)));
  const candidates = [
    ...(root === undefined ? [] : [join(root, "..", "shared", "data")]),
    FALLBACK_DATA_DIR,
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

/** The shared data directory, or undefined when it is not available. */
export const dataDir = locateDataDir();

/** Returns the absolute path of a file in the data directory. */
export function dataPath(...parts: string[]): string {
  if (dataDir === undefined) {
    throw new Error(
      `The test data directory was not found; set ${DATA_DIR_VARIABLE}.`,
    );
  }
  return join(dataDir, ...parts);
}

/** Reads up to `limit` rows of a JSON Lines file, one object a line. */
export async function readJsonLines<T>(
  path: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const rows: T[] = [];
  const stream = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (rows.length >= limit) {
        break;
      }
      if (line.trim().length > 0) {
        rows.push(JSON.parse(line) as T);
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return rows;
}

/** One question-answering item in the uniform schema of the data sets. */
export interface QaItem {
  readonly id: string;
  readonly question: string;
  readonly paragraphs: readonly string[];
  readonly answers: readonly string[];
  readonly title?: string;
  readonly is_impossible?: boolean;
}

/** Returns an item's context: its paragraphs separated by blank lines. */
export function qaContext(item: QaItem): string {
  return item.paragraphs.join("\n\n");
}

/**
 * Keeps the first item of each title, so a sample covers different
 * articles instead of many questions about one.
 */
export function firstPerTitle(
  items: readonly QaItem[],
  limit: number,
): QaItem[] {
  const seen = new Set<string>();
  const picked: QaItem[] = [];
  for (const item of items) {
    const title = item.title ?? item.id;
    if (!seen.has(title)) {
      seen.add(title);
      picked.push(item);
    }
    if (picked.length >= limit) {
      break;
    }
  }
  return picked;
}

/** File names of the public-domain and RFC texts in `long-texts/`. */
export const LONG_TEXTS = [
  "war_and_peace_pg2600.txt",
  "moby_dick_pg2701.txt",
  "rfc2616.txt",
] as const;

/** Reads one of the long texts as UTF-8, byte-order mark included. */
export function readLongText(name: (typeof LONG_TEXTS)[number]): string {
  return readFileSync(dataPath("long-texts", name), "utf8");
}
