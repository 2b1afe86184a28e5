import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary folder for test files, removed by {@link FixtureDir.remove}. */
export interface FixtureDir {
  readonly path: string;
  /** Writes `text` to `name` inside the folder and returns the full path. */
  write(name: string, text: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

/** Creates an empty folder under the system's temporary folder. */
export async function createFixtureDir(): Promise<FixtureDir> {
  const path = await mkdtemp(join(tmpdir(), "rfcc-test-"));
  return {
    path,
    async write(name, text) {
      const file = join(path, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/**
 * Returns a mulberry32 pseudo-random generator of numbers in [0, 1), so
 * that the same seed yields the same text on every machine.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = (
  "harbor ledger engine river signal copper winter market captain garden " +
  "station budget archive thunder lantern orchard bridge compass silver " +
  "meadow factory kettle whistle painter canyon village forest anchor " +
  "mirror pocket candle rocket ticket blanket basket castle dragon island " +
  "jacket ladder marble needle pepper rabbit saddle tunnel velvet walnut " +
  "shipped repaired measured counted painted carried opened delayed " +
  "quickly slowly loudly gently rarely often"
).split(" ");

function pick(random: () => number, items: readonly string[]): string {
  return items[Math.floor(random() * items.length)] as string;
}

function sentence(random: () => number): string {
  const length = 6 + Math.floor(random() * 9);
  const words = Array.from({ length }, () => pick(random, WORDS));
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Generates English-like prose from a seed: paragraphs of 3 to 6 sentences
 * over a fixed word list, separated by blank lines.
 */
export function generateProse(seed: number, paragraphs: number): string {
  const random = createRandom(seed);
  return Array.from({ length: paragraphs }, () => {
    const count = 3 + Math.floor(random() * 4);
    return Array.from({ length: count }, () => sentence(random)).join(" ");
  }).join("\n\n");
}
